package io.sandbox.chaincode;

import static io.sandbox.chaincode.SandboxErrors.duplicate;
import static io.sandbox.chaincode.SandboxErrors.insufficient;
import static io.sandbox.chaincode.SandboxErrors.invalid;
import static io.sandbox.chaincode.SandboxErrors.notFound;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Info;
import org.hyperledger.fabric.contract.annotation.License;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;

/**
 * The reference pilot chaincode: a startup's customers, the assets it issues, transfers, payments and
 * redemptions, on the startup's own channel.
 *
 * <p>State (all values deterministic JSON, see {@link Json}), under composite keys:
 * <ul>
 *   <li>{@code sandbox.customer/<customerRef>}: customerRef, jurisdiction, riskTier;</li>
 *   <li>{@code sandbox.asset/<assetId>}: assetId, assetType, currency, issuerRef, issuedAmount (never updated
 *       after issuance, so concurrent transfers of one asset do not conflict on it);</li>
 *   <li>{@code sandbox.balance/<assetId>/<holderRef>}: assetId, holderRef, amount (one key per holder, so
 *       transfers between disjoint holders of one asset commit concurrently; deleted when it reaches zero);</li>
 *   <li>{@code sandbox.payment/<paymentId>}: paymentId, from, to, currency, amount.</li>
 * </ul>
 *
 * <p>Every submit function validates all its input before it reads or writes anything it depends on, and emits
 * exactly one {@link ReportingEvent} named {@value ReportingEvent#EVENT_NAME}.
 */
@Contract(name = SandboxContract.NAME, info = @Info(title = "Sandbox reference pilot", version = "1.0.0",
        description = "Customers, asset issuance, transfers, payments and redemptions of a sandbox pilot;"
                + " emits the sandbox.reporting/1 schema",
        license = @License(name = "Apache-2.0")))
@Default
public final class SandboxContract implements ContractInterface {

    public static final String NAME = "sandbox";

    static final String CUSTOMER = "sandbox.customer";
    static final String ASSET = "sandbox.asset";
    static final String BALANCE = "sandbox.balance";
    static final String PAYMENT = "sandbox.payment";

    // ---------------------------------------------------------------- customers

    /** Admits a customer of the startup; {@code customerRef} is an opaque reference, never personal data. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String onboardCustomer(Context ctx, String customerRef, String jurisdiction, String riskTier) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("customerRef", customerRef);
        Validation.jurisdiction(jurisdiction);
        Validation.riskTier(riskTier);

        String key = key(stub, CUSTOMER, customerRef);
        if (exists(stub, key)) {
            throw duplicate("customerRef", "customer '" + customerRef + "' is already onboarded");
        }
        Json.Obj customer = Json.obj()
                .put("customerRef", customerRef)
                .put("jurisdiction", jurisdiction)
                .put("riskTier", riskTier);
        stub.putState(key, customer.toBytes());
        emit(stub, ReportingEvent.of(ReportingEvent.Type.CUSTOMER_ONBOARDED)
                .customer(customerRef, jurisdiction, riskTier));
        return customer.toJson();
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String getCustomer(Context ctx, String customerRef) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("customerRef", customerRef);
        return toJson(requireCustomer(stub, "customerRef", customerRef));
    }

    // ---------------------------------------------------------------- assets

    /** Issues {@code amount} of a new asset to {@code ownerRef}, an onboarded customer. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String issueAsset(Context ctx, String assetId, String assetType, String currency, String amount,
            String ownerRef) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("assetId", assetId);
        Validation.assetType(assetType);
        Validation.currency(currency);
        BigDecimal value = Validation.amount(amount);
        Validation.reference("ownerRef", ownerRef);

        String assetKey = key(stub, ASSET, assetId);
        if (exists(stub, assetKey)) {
            throw duplicate("assetId", "asset '" + assetId + "' already exists");
        }
        requireCustomer(stub, "ownerRef", ownerRef);

        String formatted = Validation.format(value);
        Json.Obj asset = Json.obj()
                .put("assetId", assetId)
                .put("assetType", assetType)
                .put("currency", currency)
                .put("issuerRef", ownerRef)
                .put("issuedAmount", formatted);
        stub.putState(assetKey, asset.toBytes());
        writeBalance(stub, assetId, ownerRef, value);
        emit(stub, ReportingEvent.of(ReportingEvent.Type.ASSET_ISSUED)
                .amount(formatted).currency(currency).assetType(assetType).assetId(assetId).to(ownerRef));
        return asset.toJson();
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String getAsset(Context ctx, String assetId) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("assetId", assetId);
        return toJson(requireAsset(stub, assetId));
    }

    /** The holding of {@code ownerRef} in {@code assetId}; {@code 0.00} when the customer holds none of it. */
    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String getBalance(Context ctx, String ownerRef, String assetId) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("ownerRef", ownerRef);
        Validation.reference("assetId", assetId);
        Map<String, String> asset = requireAsset(stub, assetId);
        requireCustomer(stub, "ownerRef", ownerRef);
        return Json.obj()
                .put("assetId", assetId)
                .put("holderRef", ownerRef)
                .put("currency", asset.get("currency"))
                .put("amount", Validation.format(readBalance(stub, assetId, ownerRef)))
                .toJson();
    }

    // ---------------------------------------------------------------- movements

    /** Moves {@code amount} of {@code assetId} from one customer's holding to another's. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String transfer(Context ctx, String assetId, String fromRef, String toRef, String amount) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("assetId", assetId);
        Validation.reference("fromRef", fromRef);
        Validation.reference("toRef", toRef);
        BigDecimal value = Validation.amount(amount);
        if (fromRef.equals(toRef)) {
            throw invalid("toRef", "must differ from fromRef, got '" + toRef + "' for both");
        }
        Map<String, String> asset = requireAsset(stub, assetId);
        requireCustomer(stub, "fromRef", fromRef);
        requireCustomer(stub, "toRef", toRef);

        BigDecimal fromBalance = readBalance(stub, assetId, fromRef);
        requireFunds("fromRef", fromRef, assetId, fromBalance, value);
        BigDecimal toBalance = readBalance(stub, assetId, toRef);
        writeBalance(stub, assetId, fromRef, fromBalance.subtract(value));
        writeBalance(stub, assetId, toRef, toBalance.add(value));

        String formatted = Validation.format(value);
        emit(stub, ReportingEvent.of(ReportingEvent.Type.TRANSFER)
                .amount(formatted).currency(asset.get("currency")).assetType(asset.get("assetType"))
                .assetId(assetId).from(fromRef).to(toRef));
        return Json.obj()
                .put("assetId", assetId)
                .put("from", fromRef)
                .put("to", toRef)
                .put("amount", formatted)
                .toJson();
    }

    /**
     * Records a payment between two customers in {@code currency}. The money moves off-chain (the startup's
     * payment rails); the ledger keeps the record, unique by {@code paymentId}, for the regulator to evaluate.
     */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String payment(Context ctx, String paymentId, String fromRef, String toRef, String currency,
            String amount) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("paymentId", paymentId);
        Validation.reference("fromRef", fromRef);
        Validation.reference("toRef", toRef);
        Validation.currency(currency);
        BigDecimal value = Validation.amount(amount);
        if (fromRef.equals(toRef)) {
            throw invalid("toRef", "must differ from fromRef, got '" + toRef + "' for both");
        }
        String paymentKey = key(stub, PAYMENT, paymentId);
        if (exists(stub, paymentKey)) {
            throw duplicate("paymentId", "payment '" + paymentId + "' already exists");
        }
        requireCustomer(stub, "fromRef", fromRef);
        requireCustomer(stub, "toRef", toRef);

        String formatted = Validation.format(value);
        Json.Obj payment = Json.obj()
                .put("paymentId", paymentId)
                .put("from", fromRef)
                .put("to", toRef)
                .put("currency", currency)
                .put("amount", formatted);
        stub.putState(paymentKey, payment.toBytes());
        emit(stub, ReportingEvent.of(ReportingEvent.Type.PAYMENT)
                .amount(formatted).currency(currency).paymentId(paymentId).from(fromRef).to(toRef));
        return payment.toJson();
    }

    /** Redeems (burns) {@code amount} of {@code assetId} from {@code holderRef}'s holding. */
    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String redeem(Context ctx, String assetId, String holderRef, String amount) {
        ChaincodeStub stub = ctx.getStub();
        Validation.reference("assetId", assetId);
        Validation.reference("holderRef", holderRef);
        BigDecimal value = Validation.amount(amount);
        Map<String, String> asset = requireAsset(stub, assetId);
        requireCustomer(stub, "holderRef", holderRef);

        BigDecimal balance = readBalance(stub, assetId, holderRef);
        requireFunds("holderRef", holderRef, assetId, balance, value);
        writeBalance(stub, assetId, holderRef, balance.subtract(value));

        String formatted = Validation.format(value);
        emit(stub, ReportingEvent.of(ReportingEvent.Type.REDEMPTION)
                .amount(formatted).currency(asset.get("currency")).assetType(asset.get("assetType"))
                .assetId(assetId).from(holderRef));
        return Json.obj()
                .put("assetId", assetId)
                .put("from", holderRef)
                .put("amount", formatted)
                .toJson();
    }

    // ---------------------------------------------------------------- helpers

    private static String key(ChaincodeStub stub, String type, String... attributes) {
        return stub.createCompositeKey(type, attributes).toString();
    }

    private static boolean exists(ChaincodeStub stub, String key) {
        byte[] value = stub.getState(key);
        return value != null && value.length > 0;
    }

    private static Map<String, String> read(ChaincodeStub stub, String key) {
        byte[] value = stub.getState(key);
        if (value == null || value.length == 0) {
            return null;
        }
        try {
            return Json.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ChaincodeException("state: record under " + key.replace('\u0000', '/') + " is corrupt ("
                    + e.getMessage() + ")", "CORRUPT_STATE");
        }
    }

    private static Map<String, String> requireCustomer(ChaincodeStub stub, String field, String customerRef) {
        Map<String, String> customer = read(stub, key(stub, CUSTOMER, customerRef));
        if (customer == null) {
            throw notFound(field, "unknown customer '" + customerRef + "' (onboard it first)");
        }
        return customer;
    }

    private static Map<String, String> requireAsset(ChaincodeStub stub, String assetId) {
        Map<String, String> asset = read(stub, key(stub, ASSET, assetId));
        if (asset == null) {
            throw notFound("assetId", "unknown asset '" + assetId + "'");
        }
        return asset;
    }

    private static BigDecimal readBalance(ChaincodeStub stub, String assetId, String holderRef) {
        Map<String, String> balance = read(stub, key(stub, BALANCE, assetId, holderRef));
        return balance == null ? BigDecimal.ZERO.setScale(Validation.SCALE) : new BigDecimal(balance.get("amount"));
    }

    private static void writeBalance(ChaincodeStub stub, String assetId, String holderRef, BigDecimal amount) {
        String key = key(stub, BALANCE, assetId, holderRef);
        if (amount.signum() == 0) {
            stub.delState(key);
            return;
        }
        stub.putState(key, Json.obj()
                .put("assetId", assetId)
                .put("holderRef", holderRef)
                .put("amount", Validation.format(amount))
                .toBytes());
    }

    private static void requireFunds(String field, String holderRef, String assetId, BigDecimal balance,
            BigDecimal amount) {
        if (balance.compareTo(amount) < 0) {
            throw insufficient(field, "insufficient balance: '" + holderRef + "' holds "
                    + Validation.format(balance) + " of asset '" + assetId + "', needs " + Validation.format(amount));
        }
    }

    private static void emit(ChaincodeStub stub, ReportingEvent event) {
        Instant timestamp = stub.getTxTimestamp();
        if (timestamp == null) {
            throw new ChaincodeException("timestamp: the transaction has no timestamp", "INVALID_TRANSACTION");
        }
        stub.setEvent(ReportingEvent.EVENT_NAME, event.toPayload(timestamp, stub.getTxId()));
    }

    private static String toJson(Map<String, String> record) {
        Json.Obj obj = Json.obj();
        record.forEach(obj::put);
        return obj.toJson();
    }
}
