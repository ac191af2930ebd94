package io.sandbox.chaincode;

import static io.sandbox.chaincode.FakeLedger.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;

import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SandboxContractTest {

    private final SandboxContract contract = new SandboxContract();
    private FakeLedger ledger;

    private static final String ALICE = key("sandbox.customer", "cust-alice");
    private static final String BOB = key("sandbox.customer", "cust-bob");
    private static final String BOND = key("sandbox.asset", "bond-1");
    private static final String ALICE_BOND = key("sandbox.balance", "bond-1", "cust-alice");
    private static final String BOB_BOND = key("sandbox.balance", "bond-1", "cust-bob");

    @BeforeEach
    void setUp() {
        ledger = new FakeLedger();
    }

    private void onboardBoth() {
        ledger.tx("tx-a", "2026-03-01T09:00:00Z");
        contract.onboardCustomer(ledger.ctx, "cust-alice", "DE", "LOW");
        ledger.commit().tx("tx-b", "2026-03-01T09:01:00Z");
        contract.onboardCustomer(ledger.ctx, "cust-bob", "FR", "HIGH");
        ledger.commit();
    }

    private void issueBond(String amount) {
        ledger.tx("tx-i", "2026-03-01T09:05:00Z");
        contract.issueAsset(ledger.ctx, "bond-1", "DEPOSIT_TOKEN", "EUR", amount, "cust-alice");
        ledger.commit();
    }

    private static ChaincodeException failure(Runnable call) {
        return catchThrowableOfType(ChaincodeException.class, call::run);
    }

    private static String code(ChaincodeException e) {
        return new String(e.getPayload(), StandardCharsets.UTF_8);
    }

    private void assertNothingWritten() {
        assertThat(ledger.writes).isEmpty();
        assertThat(ledger.events).isEmpty();
    }

    // ------------------------------------------------------------------ happy paths

    @Test
    void onboardCustomerWritesTheCustomerAndEmitsOneEvent() {
        ledger.tx("tx-1", "2026-03-01T09:30:00.123Z");
        String result = contract.onboardCustomer(ledger.ctx, "cust-alice", "DE", "LOW");

        String record = "{\"customerRef\":\"cust-alice\",\"jurisdiction\":\"DE\",\"riskTier\":\"LOW\"}";
        assertThat(result).isEqualTo(record);
        assertThat(ledger.writes).containsExactly(new FakeLedger.Write(ALICE, record));
        assertThat(ledger.events).containsExactly(new FakeLedger.Event("sandbox.v1",
                "{\"schema\":\"sandbox.reporting/1\",\"type\":\"CUSTOMER_ONBOARDED\",\"customerRef\":\"cust-alice\","
                        + "\"jurisdiction\":\"DE\",\"riskTier\":\"LOW\","
                        + "\"timestamp\":\"2026-03-01T09:30:00.123Z\",\"txId\":\"tx-1\"}"));
    }

    @Test
    void issueAssetWritesAssetAndOwnerBalance() {
        onboardBoth();
        ledger.tx("tx-2", "2026-03-01T10:00:00Z");
        String result = contract.issueAsset(ledger.ctx, "bond-1", "DEPOSIT_TOKEN", "EUR", "1000.5", "cust-alice");

        String asset = "{\"assetId\":\"bond-1\",\"assetType\":\"DEPOSIT_TOKEN\",\"currency\":\"EUR\","
                + "\"issuerRef\":\"cust-alice\",\"issuedAmount\":\"1000.50\"}";
        assertThat(result).isEqualTo(asset);
        assertThat(ledger.writes).containsExactly(
                new FakeLedger.Write(BOND, asset),
                new FakeLedger.Write(ALICE_BOND,
                        "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-alice\",\"amount\":\"1000.50\"}"));
        assertThat(ledger.events).containsExactly(new FakeLedger.Event("sandbox.v1",
                "{\"schema\":\"sandbox.reporting/1\",\"type\":\"ASSET_ISSUED\",\"amount\":\"1000.50\","
                        + "\"currency\":\"EUR\",\"assetType\":\"DEPOSIT_TOKEN\",\"assetId\":\"bond-1\","
                        + "\"to\":\"cust-alice\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"txId\":\"tx-2\"}"));
    }

    @Test
    void transferMovesBalanceBetweenHolders() {
        onboardBoth();
        issueBond("100.00");
        ledger.tx("tx-3", "2026-03-01T11:00:00Z");
        String result = contract.transfer(ledger.ctx, "bond-1", "cust-alice", "cust-bob", "40.25");

        assertThat(result).isEqualTo(
                "{\"assetId\":\"bond-1\",\"from\":\"cust-alice\",\"to\":\"cust-bob\",\"amount\":\"40.25\"}");
        assertThat(ledger.writes).containsExactly(
                new FakeLedger.Write(ALICE_BOND,
                        "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-alice\",\"amount\":\"59.75\"}"),
                new FakeLedger.Write(BOB_BOND,
                        "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-bob\",\"amount\":\"40.25\"}"));
        assertThat(ledger.events).containsExactly(new FakeLedger.Event("sandbox.v1",
                "{\"schema\":\"sandbox.reporting/1\",\"type\":\"TRANSFER\",\"amount\":\"40.25\","
                        + "\"currency\":\"EUR\",\"assetType\":\"DEPOSIT_TOKEN\",\"assetId\":\"bond-1\","
                        + "\"from\":\"cust-alice\",\"to\":\"cust-bob\","
                        + "\"timestamp\":\"2026-03-01T11:00:00Z\",\"txId\":\"tx-3\"}"));

        ledger.commit();
        assertThat(contract.getBalance(ledger.ctx, "cust-bob", "bond-1")).isEqualTo(
                "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-bob\",\"currency\":\"EUR\",\"amount\":\"40.25\"}");
    }

    @Test
    void transferOfTheWholeHoldingDeletesTheBalanceKey() {
        onboardBoth();
        issueBond("10");
        ledger.tx("tx-4", "2026-03-01T11:00:00Z");
        contract.transfer(ledger.ctx, "bond-1", "cust-alice", "cust-bob", "10.00");

        assertThat(ledger.writes).containsExactly(
                new FakeLedger.Write(ALICE_BOND, null),
                new FakeLedger.Write(BOB_BOND,
                        "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-bob\",\"amount\":\"10.00\"}"));
        ledger.commit();
        assertThat(contract.getBalance(ledger.ctx, "cust-alice", "bond-1")).isEqualTo(
                "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-alice\",\"currency\":\"EUR\",\"amount\":\"0.00\"}");
    }

    @Test
    void paymentRecordsThePayment() {
        onboardBoth();
        ledger.tx("tx-5", "2026-03-01T12:00:00Z");
        String result = contract.payment(ledger.ctx, "pay-1", "cust-bob", "cust-alice", "GBP", "19.99");

        String record = "{\"paymentId\":\"pay-1\",\"from\":\"cust-bob\",\"to\":\"cust-alice\",\"currency\":\"GBP\","
                + "\"amount\":\"19.99\"}";
        assertThat(result).isEqualTo(record);
        assertThat(ledger.writes).containsExactly(new FakeLedger.Write(key("sandbox.payment", "pay-1"), record));
        assertThat(ledger.events).containsExactly(new FakeLedger.Event("sandbox.v1",
                "{\"schema\":\"sandbox.reporting/1\",\"type\":\"PAYMENT\",\"amount\":\"19.99\",\"currency\":\"GBP\","
                        + "\"paymentId\":\"pay-1\",\"from\":\"cust-bob\",\"to\":\"cust-alice\","
                        + "\"timestamp\":\"2026-03-01T12:00:00Z\",\"txId\":\"tx-5\"}"));
    }

    @Test
    void redeemBurnsFromTheHolder() {
        onboardBoth();
        issueBond("100");
        ledger.tx("tx-6", "2026-03-01T13:00:00Z");
        String result = contract.redeem(ledger.ctx, "bond-1", "cust-alice", "0.01");

        assertThat(result).isEqualTo("{\"assetId\":\"bond-1\",\"from\":\"cust-alice\",\"amount\":\"0.01\"}");
        assertThat(ledger.writes).containsExactly(new FakeLedger.Write(ALICE_BOND,
                "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-alice\",\"amount\":\"99.99\"}"));
        assertThat(ledger.events).containsExactly(new FakeLedger.Event("sandbox.v1",
                "{\"schema\":\"sandbox.reporting/1\",\"type\":\"REDEMPTION\",\"amount\":\"0.01\","
                        + "\"currency\":\"EUR\",\"assetType\":\"DEPOSIT_TOKEN\",\"assetId\":\"bond-1\","
                        + "\"from\":\"cust-alice\",\"timestamp\":\"2026-03-01T13:00:00Z\",\"txId\":\"tx-6\"}"));
    }

    @Test
    void queriesReturnTheRecordsAndWriteNothing() {
        onboardBoth();
        issueBond("5");
        ledger.tx("tx-q", "2026-03-01T14:00:00Z");
        assertThat(contract.getCustomer(ledger.ctx, "cust-bob"))
                .isEqualTo("{\"customerRef\":\"cust-bob\",\"jurisdiction\":\"FR\",\"riskTier\":\"HIGH\"}");
        assertThat(contract.getAsset(ledger.ctx, "bond-1")).isEqualTo(
                "{\"assetId\":\"bond-1\",\"assetType\":\"DEPOSIT_TOKEN\",\"currency\":\"EUR\","
                        + "\"issuerRef\":\"cust-alice\",\"issuedAmount\":\"5.00\"}");
        assertThat(contract.getBalance(ledger.ctx, "cust-alice", "bond-1")).isEqualTo(
                "{\"assetId\":\"bond-1\",\"holderRef\":\"cust-alice\",\"currency\":\"EUR\",\"amount\":\"5.00\"}");
        assertNothingWritten();
    }

    // ------------------------------------------------------------------ failures

    @Test
    void duplicateCustomerIsRejected() {
        onboardBoth();
        ChaincodeException e = failure(() -> contract.onboardCustomer(ledger.ctx, "cust-alice", "DE", "LOW"));
        assertThat(e).hasMessage("customerRef: customer 'cust-alice' is already onboarded");
        assertThat(code(e)).isEqualTo("ALREADY_EXISTS");
        assertNothingWritten();
    }

    @Test
    void duplicateAssetIsRejected() {
        onboardBoth();
        issueBond("1");
        ChaincodeException e = failure(
                () -> contract.issueAsset(ledger.ctx, "bond-1", "BOND", "EUR", "1", "cust-bob"));
        assertThat(e).hasMessage("assetId: asset 'bond-1' already exists");
        assertThat(code(e)).isEqualTo("ALREADY_EXISTS");
        assertNothingWritten();
    }

    @Test
    void duplicatePaymentIsRejected() {
        onboardBoth();
        contract.payment(ledger.ctx, "pay-1", "cust-bob", "cust-alice", "EUR", "1");
        ledger.commit();
        ChaincodeException e = failure(
                () -> contract.payment(ledger.ctx, "pay-1", "cust-bob", "cust-alice", "EUR", "1"));
        assertThat(e).hasMessage("paymentId: payment 'pay-1' already exists");
        assertNothingWritten();
    }

    @Test
    void insufficientBalanceOnTransferAndRedeem() {
        onboardBoth();
        issueBond("10.00");
        ChaincodeException t = failure(
                () -> contract.transfer(ledger.ctx, "bond-1", "cust-alice", "cust-bob", "10.01"));
        assertThat(t).hasMessage("fromRef: insufficient balance: 'cust-alice' holds 10.00 of asset 'bond-1',"
                + " needs 10.01");
        assertThat(code(t)).isEqualTo("INSUFFICIENT_BALANCE");

        ChaincodeException r = failure(() -> contract.redeem(ledger.ctx, "bond-1", "cust-bob", "1"));
        assertThat(r).hasMessage("holderRef: insufficient balance: 'cust-bob' holds 0.00 of asset 'bond-1',"
                + " needs 1.00");
        assertNothingWritten();
    }

    @Test
    void unknownCustomersAndAssetsAreRejected() {
        onboardBoth();
        issueBond("10");
        assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "bond-2", "BOND", "EUR", "1", "cust-carol"))
                .isInstanceOf(ChaincodeException.class)
                .hasMessage("ownerRef: unknown customer 'cust-carol' (onboard it first)");
        assertThatThrownBy(() -> contract.transfer(ledger.ctx, "bond-1", "cust-alice", "cust-carol", "1"))
                .hasMessage("toRef: unknown customer 'cust-carol' (onboard it first)");
        assertThatThrownBy(() -> contract.transfer(ledger.ctx, "bond-9", "cust-alice", "cust-bob", "1"))
                .hasMessage("assetId: unknown asset 'bond-9'");
        assertThatThrownBy(() -> contract.payment(ledger.ctx, "pay-2", "cust-carol", "cust-bob", "EUR", "1"))
                .hasMessage("fromRef: unknown customer 'cust-carol' (onboard it first)");
        assertThatThrownBy(() -> contract.redeem(ledger.ctx, "bond-1", "cust-carol", "1"))
                .hasMessage("holderRef: unknown customer 'cust-carol' (onboard it first)");
        assertThatThrownBy(() -> contract.getCustomer(ledger.ctx, "cust-carol"))
                .hasMessage("customerRef: unknown customer 'cust-carol' (onboard it first)");
        assertThatThrownBy(() -> contract.getAsset(ledger.ctx, "bond-9"))
                .hasMessage("assetId: unknown asset 'bond-9'");
        assertThatThrownBy(() -> contract.getBalance(ledger.ctx, "cust-carol", "bond-1"))
                .hasMessage("ownerRef: unknown customer 'cust-carol' (onboard it first)");
        ChaincodeException e = failure(() -> contract.getAsset(ledger.ctx, "bond-9"));
        assertThat(code(e)).isEqualTo("NOT_FOUND");
        assertNothingWritten();
    }

    @Test
    void selfTransferAndSelfPaymentAreRejected() {
        onboardBoth();
        issueBond("10");
        assertThatThrownBy(() -> contract.transfer(ledger.ctx, "bond-1", "cust-alice", "cust-alice", "1"))
                .hasMessage("toRef: must differ from fromRef, got 'cust-alice' for both");
        assertThatThrownBy(() -> contract.payment(ledger.ctx, "p", "cust-bob", "cust-bob", "EUR", "1"))
                .hasMessage("toRef: must differ from fromRef, got 'cust-bob' for both");
        assertNothingWritten();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "-5     | amount: must be greater than zero, got '-5'",
        "-0.01  | amount: must be greater than zero, got '-0.01'",
        "0      | amount: must be greater than zero, got '0'",
        "0.00   | amount: must be greater than zero, got '0.00'",
        "abc    | amount: must be a plain decimal with at most 2 decimal places and up to 15 integer digits (e.g. 1250.00), got 'abc'",
        "1.005  | amount: must be a plain decimal with at most 2 decimal places and up to 15 integer digits (e.g. 1250.00), got '1.005'",
        "1e3    | amount: must be a plain decimal with at most 2 decimal places and up to 15 integer digits (e.g. 1250.00), got '1e3'",
        "1,50   | amount: must be a plain decimal with at most 2 decimal places and up to 15 integer digits (e.g. 1250.00), got '1,50'",
        "\"\"   | amount: is required",
    })
    void badAmountsAreRejectedByEveryFunction(String amount, String message) {
        onboardBoth();
        issueBond("10");
        String a = amount == null ? "" : amount;
        assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "bond-2", "BOND", "EUR", a, "cust-alice"))
                .isInstanceOf(ChaincodeException.class).hasMessage(message);
        assertThatThrownBy(() -> contract.transfer(ledger.ctx, "bond-1", "cust-alice", "cust-bob", a))
                .hasMessage(message);
        assertThatThrownBy(() -> contract.payment(ledger.ctx, "p-1", "cust-alice", "cust-bob", "EUR", a))
                .hasMessage(message);
        assertThatThrownBy(() -> contract.redeem(ledger.ctx, "bond-1", "cust-alice", a)).hasMessage(message);
        assertNothingWritten();
    }

    @Nested
    class FieldValidation {

        @Test
        void onboardCustomer() {
            assertThatThrownBy(() -> contract.onboardCustomer(ledger.ctx, null, "DE", "LOW"))
                    .hasMessage("customerRef: is required");
            assertThatThrownBy(() -> contract.onboardCustomer(ledger.ctx, "jane.doe@example.com", "DE", "LOW"))
                    .hasMessage("customerRef: must be 1-64 characters from A-Z a-z 0-9 . _ : - starting with a"
                            + " letter or digit (an opaque reference, never personal data), got"
                            + " 'jane.doe@example.com'");
            assertThatThrownBy(() -> contract.onboardCustomer(ledger.ctx, "c-1", "Germany", "LOW"))
                    .hasMessage("jurisdiction: must be an ISO 3166 code such as DE or US-NY, got 'Germany'");
            assertThatThrownBy(() -> contract.onboardCustomer(ledger.ctx, "c-1", "DE", "low"))
                    .hasMessage("riskTier: must be one of LOW, MEDIUM, HIGH, got 'low'");
            assertThatThrownBy(() -> contract.onboardCustomer(ledger.ctx, "c-1", " ", "LOW"))
                    .hasMessage("jurisdiction: is required");
            assertNothingWritten();
        }

        @Test
        void issueAsset() {
            assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "a b", "BOND", "EUR", "1", "c"))
                    .hasMessageStartingWith("assetId: must be 1-64 characters").hasMessageEndingWith("got 'a b'");
            assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "a", "bond", "EUR", "1", "c"))
                    .hasMessage("assetType: must be 1-32 characters from A-Z 0-9 _ starting with a letter"
                            + " (e.g. DEPOSIT_TOKEN), got 'bond'");
            assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "a", "BOND", "eur", "1", "c"))
                    .hasMessage("currency: must be an ISO 4217 alphabetic code such as EUR, got 'eur'");
            assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "a", "BOND", "ABC", "1", "c"))
                    .hasMessage("currency: must be an ISO 4217 alphabetic code such as EUR, got 'ABC'");
            assertThatThrownBy(() -> contract.issueAsset(ledger.ctx, "a", "BOND", "EUR", "1", "c\u0000x"))
                    .hasMessageStartingWith("ownerRef: must be").hasMessageEndingWith("got 'c\\u0000x'");
            assertNothingWritten();
        }

        @Test
        void movementsAndQueries() {
            assertThatThrownBy(() -> contract.transfer(ledger.ctx, "a", "", "b", "1"))
                    .hasMessage("fromRef: is required");
            assertThatThrownBy(() -> contract.transfer(ledger.ctx, "a", "b", null, "1"))
                    .hasMessage("toRef: is required");
            assertThatThrownBy(() -> contract.payment(ledger.ctx, "", "a", "b", "EUR", "1"))
                    .hasMessage("paymentId: is required");
            assertThatThrownBy(() -> contract.payment(ledger.ctx, "p", "a", "b", "EURO", "1"))
                    .hasMessage("currency: must be an ISO 4217 alphabetic code such as EUR, got 'EURO'");
            assertThatThrownBy(() -> contract.redeem(ledger.ctx, "a", "-x", "1"))
                    .hasMessageStartingWith("holderRef: must be");
            assertThatThrownBy(() -> contract.getBalance(ledger.ctx, "a", ""))
                    .hasMessage("assetId: is required");
            assertThatThrownBy(() -> contract.getCustomer(ledger.ctx, "x".repeat(65)))
                    .hasMessageStartingWith("customerRef: must be")
                    .hasMessageEndingWith("got '" + "x".repeat(40) + "...'");
            assertNothingWritten();
        }
    }
}
