package io.sandbox.core.rules;

import static io.sandbox.core.rules.TxBuilder.asset;
import static io.sandbox.core.rules.TxBuilder.onboarded;
import static io.sandbox.core.rules.TxBuilder.payment;
import static io.sandbox.core.rules.TxBuilder.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Java-decided parts of rules give the interpreter's verdicts, and the rules that should skip it do. */
class DirectEvaluationTest {

    private final RuleCompiler compiler = new RuleCompiler();

    private CompiledRule compile(String expression) {
        return compiler.compile(new RuleDefinition("r", 1, "r", Severity.LOW, RuleMode.ACTIVE, Set.of(), expression));
    }

    @Test
    void comparisonsOfLeavesAndConstantsAreDecidedWithoutTheInterpreter() {
        assertThat(compile("event.type == 'PAYMENT' && event.amountMinor > 100000").decidedDirectly()).isTrue();
        assertThat(compile("event.currency == permit.currency || !tx.valid").decidedDirectly()).isTrue();
        assertThat(compile("event.assetType != '' && !(event.assetType in permit.allowedAssetTypes)")
                .decidedDirectly()).isTrue();
        assertThat(compile("tx.timestamp >= permit.testWindowEnd").decidedDirectly()).isTrue();
        assertThat(compile("tx.timestamp < timestamp('2026-12-01T00:00:00Z')").decidedDirectly()).isTrue();
        assertThat(compile("tx.endorsers.exists(m, !(m in startup.expectedMsps))").decidedDirectly()).isTrue();
        assertThat(compile("tx.endorsers.all(m, m != event.from)").decidedDirectly()).isTrue();
        // arithmetic, macros, mixed numeric types and string ordering stay with the interpreter
        assertThat(compile("event.amountMinor * 2 > 100").decidedDirectly()).isFalse();
        assertThat(compile("tx.endorsers.exists_one(m, m == 'X')").decidedDirectly()).isFalse();
        assertThat(compile("tx.endorsers.exists(m, size(m) > 3)").decidedDirectly()).isFalse();
        assertThat(compile("event.amountMinor > 10.5").decidedDirectly()).isFalse();
        assertThat(compile("event.type < 'Q'").decidedDirectly()).isFalse();
    }

    @Test
    void theBuiltInAndPermitRulesMostlySkipTheInterpreter() {
        List<String> direct = new ArrayList<>();
        List<RuleDefinition> all = new ArrayList<>(BuiltInRules.all());
        all.addAll(PermitRules.derive(TxBuilder.profile(PermitRulesTest.PERMIT), 1));
        for (RuleDefinition d : all) {
            if (compiler.compile(d).decidedDirectly()) {
                direct.add(d.id());
            }
        }
        assertThat(direct).containsExactlyInAnyOrder("builtin:unknown-chaincode", "builtin:config-changed",
                "builtin:unexpected-endorser",
                "permit:acme:max-customers", "permit:acme:max-single-value", "permit:acme:max-daily-volume",
                "permit:acme:asset-types", "permit:acme:test-window");
    }

    @Test
    void aGuardDecidesFalseAloneAndLeavesTheRestToTheInterpreter() {
        CompiledRule rule = compile("tx.function == 'transfer' && 100 / (event.amountMinor - event.amountMinor) > 1");

        assertThat(catching(rule, values(payment("5.00", "a", "b").chaincode("sandbox", "redeem").build())))
                .isEqualTo("false");
        assertThat(catching(rule, values(payment("5.00", "a", "b").build()))).isEqualTo("error");
    }

    private static String catching(CompiledRule rule, ModelValues values) {
        try {
            return String.valueOf(rule.matches(values));
        } catch (dev.cel.runtime.CelEvaluationException e) {
            return "error";
        }
    }

    /** Random expressions over the model, on varied transactions: the same verdict either way. */
    @Test
    void randomExpressionsGiveTheInterpretersVerdicts() throws Exception {
        Random random = new Random(20261122);
        List<ModelValues> cases = cases();
        int direct = 0;
        int guarded = 0;
        for (int i = 0; i < 400; i++) {
            String expression = expression(random, 3);
            CompiledRule rule = compile(expression);
            direct += rule.decidedDirectly() ? 1 : 0;
            guarded += rule.decidedDirectly() ? 0 : 1;
            for (ModelValues values : cases) {
                boolean expected;
                try {
                    expected = rule.interpreted(values);
                } catch (dev.cel.runtime.CelEvaluationException e) {
                    if (rule.decidedDirectly()) {
                        fail("the interpreter failed on a directly decided rule: " + expression, e);
                    }
                    expected = false;
                }
                boolean actual;
                try {
                    actual = rule.matches(values);
                } catch (dev.cel.runtime.CelEvaluationException e) {
                    actual = false;
                }
                if (actual != expected) {
                    fail(expression + " on " + values.value("tx.id") + ": direct " + actual + ", interpreter "
                            + expected);
                }
            }
        }
        // the generator exercises both paths
        assertThat(direct).isGreaterThan(200);
        assertThat(guarded).isGreaterThan(40);
    }

    private static final String[] INTS = {"event.amountMinor", "tx.block", "tx.index", "startup.customers",
        "window.startup.minute.count", "window.customer.hour.sumMinor", "permit.maxCustomers",
        "permit.maxSingleValueMinor", "0", "2", "100000", "-5"};
    private static final String[] DOUBLES = {"event.amount", "window.startup.day.sum", "permit.maxSingleValue",
        "permit.maxDailyVolume", "0.0", "1000.0", "5.5"};
    private static final String[] STRINGS = {"event.type", "event.currency", "event.assetType", "tx.chaincode",
        "tx.function", "tx.validationCode", "permit.currency", "startup.name", "'PAYMENT'", "'EUR'", "''",
        "'sandbox'", "'acme'", "'DEPOSIT_TOKEN'"};
    private static final String[] BOOLS = {"tx.valid", "event.present", "permit.present", "true", "false"};
    private static final String[] TIMESTAMPS = {"tx.timestamp", "permit.testWindowStart", "permit.testWindowEnd",
        "timestamp('2026-03-15T00:00:00Z')", "timestamp('2026-03-01T10:00:00.000000001Z')",
        "timestamp('2026-03-15T01:00:00+01:00')"};
    private static final String[] LISTS = {"startup.knownChaincodes", "startup.expectedMsps",
        "permit.allowedAssetTypes", "tx.endorsers"};
    private static final String[] INTERPRETED = {"event.amountMinor * 2 > 150000", "size(tx.endorsers) > 1",
        "tx.endorsers.exists_one(m, m == 'AcmeMSP')", "event.amount > 5", "event.type < 'Q'",
        "100 / (event.amountMinor - event.amountMinor) > 1", "tx.timestamp > timestamp('0000-01-01T00:00:00Z')"};
    private static final String[] ORDERINGS = {"<", "<=", ">", ">="};

    private static String expression(Random random, int depth) {
        int choice = random.nextInt(depth == 0 ? 9 : 12);
        return switch (choice) {
            case 0 -> compare(random, INTS, true);
            case 1 -> compare(random, DOUBLES, true);
            case 2 -> compare(random, STRINGS, false);
            case 3 -> compare(random, TIMESTAMPS, true);
            case 4 -> pick(random, BOOLS);
            case 5 -> pick(random, STRINGS) + " in " + pick(random, LISTS);
            case 6 -> pick(random, BOOLS) + (random.nextBoolean() ? " == " : " != ") + pick(random, BOOLS);
            case 7 -> pick(random, INTERPRETED);
            case 8 -> comprehension(random);
            case 9 -> "!(" + expression(random, depth - 1) + ")";
            case 10 -> "(" + expression(random, depth - 1) + ") && (" + expression(random, depth - 1) + ")";
            default -> "(" + expression(random, depth - 1) + ") || (" + expression(random, depth - 1) + ")";
        };
    }

    /** {@code exists} or {@code all} over a list leaf, sometimes nested or with a predicate left to the interpreter. */
    private static String comprehension(Random random) {
        String predicate = switch (random.nextInt(6)) {
            case 0 -> "m == " + pick(random, STRINGS);
            case 1 -> "m in " + pick(random, LISTS);
            case 2 -> "!(m in " + pick(random, LISTS) + ")";
            case 3 -> "m != " + pick(random, STRINGS) + " && " + pick(random, BOOLS);
            case 4 -> pick(random, LISTS) + ".exists(n, n == m)";
            default -> "size(m) > 6";
        };
        return pick(random, LISTS) + (random.nextBoolean() ? ".exists" : ".all") + "(m, " + predicate + ")";
    }

    private static String compare(Random random, String[] operands, boolean ordered) {
        String op = !ordered || random.nextInt(3) == 0 ? (random.nextBoolean() ? "==" : "!=")
                : ORDERINGS[random.nextInt(ORDERINGS.length)];
        return pick(random, operands) + " " + op + " " + pick(random, operands);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static List<ModelValues> cases() {
        List<TransactionFacts> txs = List.of(
                payment("5.00", "a", "b").id("small").build(),
                payment("1500.00", "a", "b").id("large").block(9).build(),
                payment("1000.00", "c", "d").id("at-limit").at("2026-03-31T23:59:59Z").build(),
                payment("-0.00", "c", "d").id("negative-zero").build(),
                tx().id("no-event").build(),
                tx().id("invalid").invalid().event(TxBuilder.event("PAYMENT", "20.00", "a", "b")).build(),
                tx().id("issuance").event(asset("TOKEN_ISSUED", "250.00", "DEPOSIT_TOKEN", "acme", "c1")).build(),
                tx().id("other-asset").event(asset("TOKEN_ISSUED", "7.10", "SECURITY", "acme", "c1")).build(),
                tx().id("onboarding").event(onboarded("cust-1")).build(),
                tx().id("config").header("CONFIG").chaincode(null, null).block(0).build(),
                tx().id("deploy").deploys("other-cc").endorsers("AcmeMSP", "EvilMSP").build(),
                tx().id("before-window").at("2026-02-28T23:00:00Z").event(onboarded("cust-2")).build(),
                tx().id("after-window").at("2026-04-01T00:00:00Z").chaincode("foreign", "run").build());
        List<ModelValues> cases = new ArrayList<>();
        for (StartupProfile profile : new StartupProfile[] {TxBuilder.profile(PermitRulesTest.PERMIT),
            TxBuilder.profile(null)}) {
            WindowState windows = new WindowState();
            for (TransactionFacts tx : txs) {
                windows.fold(tx, profile);
                cases.add(new ModelValues(tx, RuleModel.Profile.of(profile), windows));
            }
        }
        return cases;
    }

    private static ModelValues values(TransactionFacts tx) {
        StartupProfile profile = TxBuilder.profile(PermitRulesTest.PERMIT);
        WindowState windows = new WindowState();
        windows.fold(tx, profile);
        return new ModelValues(tx, RuleModel.Profile.of(profile), windows);
    }
}
