package io.sandbox.core.rules;

import dev.cel.runtime.CelVariableResolver;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rule model's values for one transaction, computed lazily: a rule asks for the leaves it references by their
 * qualified names ({@code event.amount}, {@code window.customer.hour.count}), which the checker resolved to the
 * flattened leaf variables, so evaluation neither builds the whole model nor selects through maps. An expression
 * that uses a whole struct ({@code window.startup}) gets its map form. Not thread-safe; one per transaction.
 */
final class ModelValues implements CelVariableResolver {

    private static final int STARTUP = 0;
    private static final int CUSTOMER = 1;
    private static final int COUNTERPARTY = 2;
    private static final String[] SCOPES = {"startup", "customer", "counterparty"};
    private static final String[] FIELDS = {"count", "sum", "sumMinor", "invalid", "total"};
    /** window leaf name → {scope, span ordinal, field}. */
    private static final Map<String, int[]> WINDOW_LEAVES = windowLeaves();

    private final TransactionFacts tx;
    private final RuleModel.Profile profile;
    private final WindowState windows;
    private final ReportingEvent event;
    private final WindowState.Totals[] totals = new WindowState.Totals[9];
    private Map<String, Object> roots;
    /** The current elements of directly evaluated comprehensions, by slot (see {@link DirectEvaluation}). */
    private Object[] locals;

    ModelValues(TransactionFacts tx, RuleModel.Profile profile, WindowState windows) {
        this.tx = tx;
        this.profile = profile;
        this.windows = windows;
        this.event = tx.event();
    }

    @Override
    public Optional<Object> find(String name) {
        return Optional.ofNullable(value(name));
    }

    /** The value of a model path (a leaf, a struct or a variable), or null when there is no such path. */
    Object value(String name) {
        Object leaf = leaf(name);
        if (leaf != null) {
            return leaf;
        }
        if (roots == null) {
            roots = RuleModel.activation(tx, profile, windows);
        }
        Object current = roots;
        for (String part : name.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    /** A comprehension element's current value. */
    Object local(int slot) {
        return locals[slot];
    }

    void local(int slot, Object value) {
        if (locals == null || locals.length <= slot) {
            locals = java.util.Arrays.copyOf(locals == null ? new Object[0] : locals, slot + 2);
        }
        locals[slot] = value;
    }

    private Object leaf(String name) {
        if (name.startsWith("window.")) {
            int[] code = WINDOW_LEAVES.get(name);
            return code == null ? null : window(code);
        }
        ReportingEvent e = event;
        StartupProfile p = profile.source();
        Map<String, Object> permit = profile.permit();
        return switch (name) {
            case "tx.id" -> nz(tx.txId());
            case "tx.channel" -> nz(tx.channel());
            case "tx.block" -> tx.blockNumber();
            case "tx.index" -> (long) tx.txIndex();
            case "tx.timestamp" -> RuleModel.timestamp(tx.timestamp());
            case "tx.type" -> nz(tx.headerType());
            case "tx.creatorMsp" -> nz(tx.creatorMsp());
            case "tx.endorsers" -> tx.endorserMsps();
            case "tx.chaincode" -> nz(tx.chaincode());
            case "tx.function" -> nz(tx.function());
            case "tx.validationCode" -> nz(tx.validationCode());
            case "tx.deployedChaincode" -> nz(tx.deployedChaincode());
            case "tx.valid" -> tx.valid();
            case "event.present" -> e != null;
            case "event.type" -> e == null ? "" : nz(e.type());
            case "event.amount" -> e == null || e.amount() == null ? 0.0 : e.amount().doubleValue();
            case "event.amountMinor" -> e == null || e.amount() == null ? 0L : WindowState.minorUnits(e.amount());
            case "event.currency" -> e == null ? "" : nz(e.currency());
            case "event.assetType" -> e == null ? "" : nz(e.assetType());
            case "event.assetId" -> e == null ? "" : nz(e.assetId());
            case "event.paymentId" -> e == null ? "" : nz(e.paymentId());
            case "event.from" -> e == null ? "" : nz(e.from());
            case "event.to" -> e == null ? "" : nz(e.to());
            case "event.customerRef" -> e == null ? "" : nz(e.customerRef());
            case "event.jurisdiction" -> e == null ? "" : nz(e.jurisdiction());
            case "event.riskTier" -> e == null ? "" : nz(e.riskTier());
            case "startup.name" -> p == null ? tx.startup() : p.name();
            case "startup.channel" -> p == null ? "" : p.channel();
            case "startup.msp" -> p == null ? "" : p.mspId();
            case "startup.customers" -> windows.customersOnboarded(tx.startup());
            case "startup.knownChaincodes" -> profile.knownChaincodes();
            case "startup.expectedMsps" -> profile.expectedMsps();
            default -> name.startsWith("permit.") ? permit.get(name.substring(7)) : null;
        };
    }

    private Object window(int[] code) {
        int slot = code[0] * 3 + code[1];
        WindowState.Totals t = totals[slot];
        if (t == null) {
            t = totals(code[0], Span.values()[code[1]]);
            totals[slot] = t;
        }
        return switch (code[2]) {
            case 0 -> t.count();
            case 1 -> t.sumMinor() / 100.0;
            case 2 -> t.sumMinor();
            case 3 -> t.invalid();
            default -> t.total();
        };
    }

    private WindowState.Totals totals(int scope, Span span) {
        String startup = tx.startup();
        if (scope == STARTUP) {
            return windows.startup(startup, span);
        }
        ReportingEvent e = tx.valid() ? event : null;
        if (e == null) {
            return WindowState.Totals.EMPTY;
        }
        if (scope == CUSTOMER) {
            return windows.customer(startup, WindowState.customerKey(e), span);
        }
        return e.to() == null || e.to().isBlank() ? WindowState.Totals.EMPTY
                : windows.counterparty(startup, e.to(), span);
    }

    private static Map<String, int[]> windowLeaves() {
        Map<String, int[]> leaves = new HashMap<>();
        for (int scope = 0; scope < SCOPES.length; scope++) {
            for (Span span : Span.values()) {
                for (int field = 0; field < FIELDS.length; field++) {
                    if (scope != STARTUP && field >= 3) {
                        continue;
                    }
                    leaves.put("window." + SCOPES[scope] + "." + span.modelName() + "." + FIELDS[field],
                            new int[] {scope, span.ordinal(), field});
                }
            }
        }
        return Map.copyOf(leaves);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
