package io.sandbox.core.rules;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Timestamp;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.common.types.StructTypeReference;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule model: the CEL variables ({@code tx}, {@code event}, {@code startup}, {@code permit}, {@code window}),
 * their struct types for the type checker (so a misspelled field is refused at compile time), and the values a
 * transaction gives them. docs/rules.md documents every field. At run time the structs are plain maps, which CEL's
 * interpreter selects fields from directly.
 */
final class RuleModel {

    static final String TX = "sandbox.Tx";
    static final String EVENT = "sandbox.Event";
    static final String STARTUP = "sandbox.Startup";
    static final String PERMIT = "sandbox.Permit";
    static final String WINDOWS = "sandbox.Windows";
    static final String STARTUP_WINDOWS = "sandbox.StartupWindows";
    static final String KEY_WINDOWS = "sandbox.KeyWindows";
    static final String STARTUP_WINDOW = "sandbox.StartupWindow";
    static final String KEY_WINDOW = "sandbox.Window";

    private static final CelType STRINGS = ListType.create(SimpleType.STRING);

    /** Variable name to its type. */
    static final Map<String, CelType> VARIABLES = orderedMap(
            "tx", StructTypeReference.create(TX),
            "event", StructTypeReference.create(EVENT),
            "startup", StructTypeReference.create(STARTUP),
            "permit", StructTypeReference.create(PERMIT),
            "window", StructTypeReference.create(WINDOWS));

    private static final Map<String, Map<String, CelType>> STRUCTS = Map.of(
            TX, orderedMap(
                    "id", SimpleType.STRING,
                    "channel", SimpleType.STRING,
                    "block", SimpleType.INT,
                    "index", SimpleType.INT,
                    "timestamp", SimpleType.TIMESTAMP,
                    "type", SimpleType.STRING,
                    "creatorMsp", SimpleType.STRING,
                    "endorsers", STRINGS,
                    "chaincode", SimpleType.STRING,
                    "function", SimpleType.STRING,
                    "validationCode", SimpleType.STRING,
                    "valid", SimpleType.BOOL,
                    "deployedChaincode", SimpleType.STRING),
            EVENT, orderedMap(
                    "present", SimpleType.BOOL,
                    "type", SimpleType.STRING,
                    "amount", SimpleType.DOUBLE,
                    "amountMinor", SimpleType.INT,
                    "currency", SimpleType.STRING,
                    "assetType", SimpleType.STRING,
                    "assetId", SimpleType.STRING,
                    "paymentId", SimpleType.STRING,
                    "from", SimpleType.STRING,
                    "to", SimpleType.STRING,
                    "customerRef", SimpleType.STRING,
                    "jurisdiction", SimpleType.STRING,
                    "riskTier", SimpleType.STRING),
            STARTUP, orderedMap(
                    "name", SimpleType.STRING,
                    "channel", SimpleType.STRING,
                    "msp", SimpleType.STRING,
                    "customers", SimpleType.INT,
                    "knownChaincodes", STRINGS,
                    "expectedMsps", STRINGS),
            PERMIT, orderedMap(
                    "present", SimpleType.BOOL,
                    "maxCustomers", SimpleType.INT,
                    "maxSingleValue", SimpleType.DOUBLE,
                    "maxSingleValueMinor", SimpleType.INT,
                    "maxDailyVolume", SimpleType.DOUBLE,
                    "maxDailyVolumeMinor", SimpleType.INT,
                    "currency", SimpleType.STRING,
                    "allowedAssetTypes", STRINGS,
                    "testWindowStart", SimpleType.TIMESTAMP,
                    "testWindowEnd", SimpleType.TIMESTAMP),
            WINDOWS, orderedMap(
                    "startup", StructTypeReference.create(STARTUP_WINDOWS),
                    "customer", StructTypeReference.create(KEY_WINDOWS),
                    "counterparty", StructTypeReference.create(KEY_WINDOWS)),
            STARTUP_WINDOWS, spans(StructTypeReference.create(STARTUP_WINDOW)),
            KEY_WINDOWS, spans(StructTypeReference.create(KEY_WINDOW)),
            STARTUP_WINDOW, orderedMap(
                    "count", SimpleType.INT,
                    "sum", SimpleType.DOUBLE,
                    "sumMinor", SimpleType.INT,
                    "invalid", SimpleType.INT,
                    "total", SimpleType.INT),
            KEY_WINDOW, orderedMap(
                    "count", SimpleType.INT,
                    "sum", SimpleType.DOUBLE,
                    "sumMinor", SimpleType.INT));

    /** The struct types, for the checker. */
    static final CelTypeProvider TYPES = new CelTypeProvider() {

        private final ImmutableMap<String, CelType> types = structTypes();

        @Override
        public ImmutableCollection<CelType> types() {
            return types.values();
        }

        @Override
        public Optional<CelType> findType(String typeName) {
            return Optional.ofNullable(types.get(typeName));
        }
    };

    private RuleModel() {
    }

    private static ImmutableMap<String, CelType> structTypes() {
        ImmutableMap.Builder<String, CelType> builder = ImmutableMap.builder();
        STRUCTS.forEach((name, fields) -> {
            ImmutableMap<String, CelType> f = ImmutableMap.copyOf(fields);
            builder.put(name, StructType.create(name, f.keySet(), field -> Optional.ofNullable(f.get(field))));
        });
        return builder.buildOrThrow();
    }

    private static Map<String, CelType> spans(CelType window) {
        return orderedMap("minute", window, "hour", window, "day", window);
    }

    private static <V> Map<String, V> orderedMap(Object... pairs) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            V value = (V) pairs[i + 1];
            map.put((String) pairs[i], value);
        }
        return map;
    }

    /** Every leaf path of the model ({@code tx.id}, {@code window.startup.minute.count}, ...) with its type. */
    static final Map<String, CelType> LEAVES = leaves();

    private static Map<String, CelType> leaves() {
        Map<String, CelType> leaves = new LinkedHashMap<>();
        VARIABLES.forEach((name, type) -> flatten(name, type, leaves));
        return java.util.Collections.unmodifiableMap(leaves);
    }

    private static void flatten(String path, CelType type, Map<String, CelType> leaves) {
        Map<String, CelType> fields = STRUCTS.get(type.name());
        if (fields == null) {
            leaves.put(path, type);
            return;
        }
        fields.forEach((field, fieldType) -> flatten(path + "." + field, fieldType, leaves));
    }

    // ---- values ---------------------------------------------------------------------------------------------

    /** The variables' values for one transaction, after it was folded into {@code windows}. */
    static Map<String, Object> activation(TransactionFacts tx, Profile profile, WindowState windows) {
        Map<String, Object> vars = new HashMap<>(8);
        vars.put("tx", tx(tx));
        vars.put("event", event(tx.event()));
        vars.put("startup", startup(profile, tx.startup(), windows));
        vars.put("permit", profile.permit());
        vars.put("window", windows(tx, windows));
        return vars;
    }

    static Map<String, Object> tx(TransactionFacts tx) {
        Map<String, Object> m = new HashMap<>(16);
        m.put("id", nz(tx.txId()));
        m.put("channel", nz(tx.channel()));
        m.put("block", tx.blockNumber());
        m.put("index", (long) tx.txIndex());
        m.put("timestamp", timestamp(tx.timestamp()));
        m.put("type", nz(tx.headerType()));
        m.put("creatorMsp", nz(tx.creatorMsp()));
        m.put("endorsers", tx.endorserMsps());
        m.put("chaincode", nz(tx.chaincode()));
        m.put("function", nz(tx.function()));
        m.put("validationCode", nz(tx.validationCode()));
        m.put("valid", tx.valid());
        m.put("deployedChaincode", nz(tx.deployedChaincode()));
        return m;
    }

    static Map<String, Object> event(ReportingEvent e) {
        Map<String, Object> m = new HashMap<>(16);
        m.put("present", e != null);
        BigDecimal amount = e == null || e.amount() == null ? BigDecimal.ZERO : e.amount();
        m.put("type", e == null ? "" : nz(e.type()));
        m.put("amount", amount.doubleValue());
        m.put("amountMinor", WindowState.minorUnits(amount));
        m.put("currency", e == null ? "" : nz(e.currency()));
        m.put("assetType", e == null ? "" : nz(e.assetType()));
        m.put("assetId", e == null ? "" : nz(e.assetId()));
        m.put("paymentId", e == null ? "" : nz(e.paymentId()));
        m.put("from", e == null ? "" : nz(e.from()));
        m.put("to", e == null ? "" : nz(e.to()));
        m.put("customerRef", e == null ? "" : nz(e.customerRef()));
        m.put("jurisdiction", e == null ? "" : nz(e.jurisdiction()));
        m.put("riskTier", e == null ? "" : nz(e.riskTier()));
        return m;
    }

    /** What a startup profile contributes, computed once per profile. */
    record Profile(StartupProfile source, List<String> knownChaincodes, List<String> expectedMsps,
            Map<String, Object> permit) {

        static Profile of(StartupProfile p) {
            return new Profile(p, p == null ? List.of() : sorted(p.knownChaincodes()),
                    p == null ? List.of() : sorted(p.expectedMsps()), RuleModel.permit(p == null ? null : p.permit()));
        }
    }

    static Map<String, Object> startup(Profile profile, String name, WindowState windows) {
        StartupProfile p = profile.source();
        Map<String, Object> m = new HashMap<>(8);
        m.put("name", p == null ? name : p.name());
        m.put("channel", p == null ? "" : p.channel());
        m.put("msp", p == null ? "" : p.mspId());
        m.put("customers", windows.customersOnboarded(name));
        m.put("knownChaincodes", profile.knownChaincodes());
        m.put("expectedMsps", profile.expectedMsps());
        return m;
    }

    /** The permit's values (computed once per permit: they do not depend on the transaction). */
    static Map<String, Object> permit(Permit p) {
        Map<String, Object> m = new HashMap<>(16);
        m.put("present", p != null);
        m.put("maxCustomers", p == null ? 0L : (long) p.maxCustomers());
        m.put("maxSingleValue", p == null ? 0.0 : p.maxSingleValue().doubleValue());
        m.put("maxSingleValueMinor", p == null ? 0L : floorMinor(p.maxSingleValue()));
        m.put("maxDailyVolume", p == null ? 0.0 : p.maxDailyVolume().doubleValue());
        m.put("maxDailyVolumeMinor", p == null ? 0L : floorMinor(p.maxDailyVolume()));
        m.put("currency", p == null ? "" : p.currency());
        m.put("allowedAssetTypes", p == null ? List.of() : p.allowedAssetTypes());
        m.put("testWindowStart", timestamp(p == null ? Instant.EPOCH : startOfDay(p.testWindowStart())));
        m.put("testWindowEnd", timestamp(p == null ? Instant.EPOCH : startOfDay(p.testWindowEnd().plusDays(1))));
        return m;
    }

    /**
     * A limit in whole minor units, rounded down: for an amount with 2 decimals, {@code amountMinor > floor(limit)}
     * holds exactly when {@code amount > limit}, also for a limit with more decimals.
     */
    static long floorMinor(BigDecimal limit) {
        return limit.movePointRight(2).setScale(0, RoundingMode.FLOOR).longValue();
    }

    static Map<String, Object> windows(TransactionFacts tx, WindowState windows) {
        String startup = tx.startup();
        ReportingEvent e = tx.valid() ? tx.event() : null;
        String customer = e == null ? null : WindowState.customerKey(e);
        String counterparty = e == null || e.to() == null || e.to().isBlank() ? null : e.to();
        Map<String, Object> s = new HashMap<>(4);
        Map<String, Object> c = new HashMap<>(4);
        Map<String, Object> k = new HashMap<>(4);
        for (Span span : Span.values()) {
            s.put(span.modelName(), window(windows.startup(startup, span), true));
            c.put(span.modelName(), window(windows.customer(startup, customer, span), false));
            k.put(span.modelName(), window(windows.counterparty(startup, counterparty, span), false));
        }
        Map<String, Object> m = new HashMap<>(4);
        m.put("startup", s);
        m.put("customer", c);
        m.put("counterparty", k);
        return m;
    }

    private static Map<String, Object> window(WindowState.Totals t, boolean withValidity) {
        Map<String, Object> m = new HashMap<>(8);
        m.put("count", t.count());
        m.put("sum", t.sumMinor() / 100.0);
        m.put("sumMinor", t.sumMinor());
        if (withValidity) {
            m.put("invalid", t.invalid());
            m.put("total", t.total());
        }
        return m;
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Instant startOfDay(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static List<String> sorted(java.util.Set<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return List.copyOf(list);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    /** A model value in a JSON-friendly form. */
    static Object jsonFriendly(Object value) {
        if (value instanceof Timestamp ts) {
            return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()).toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new java.util.TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), jsonFriendly(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RuleModel::jsonFriendly).toList();
        }
        return value;
    }
}
