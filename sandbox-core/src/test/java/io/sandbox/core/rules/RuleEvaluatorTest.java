package io.sandbox.core.rules;

import static io.sandbox.core.rules.TxBuilder.payment;
import static io.sandbox.core.rules.TxBuilder.tx;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RuleEvaluatorTest {

    private final RuleCompiler compiler = new RuleCompiler();
    private final StartupProfile acme = TxBuilder.profile(PermitRulesTest.PERMIT);

    private CompiledRule rule(String id, RuleMode mode, Set<String> scope, String expression) {
        return compiler.compile(new RuleDefinition(id, 2, "Rule " + id, Severity.MEDIUM, mode, scope, expression));
    }

    @Test
    void activeAndTestRulesHitWithTheirModeAndDisabledRulesAreNotEvaluated() {
        RuleSet set = RuleSet.of(List.of(
                rule("active", RuleMode.ACTIVE, Set.of(), "event.amount > 10.0"),
                rule("test", RuleMode.TEST, Set.of(), "event.amount > 10.0"),
                // would fail at run time if it were evaluated: not counted as an error, so not evaluated
                rule("disabled", RuleMode.DISABLED, Set.of(), "1 / (event.amountMinor - event.amountMinor) == 0")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        List<RuleHit> hits = evaluator.evaluate(payment("20.00", "a", "b").id("t1").build(), acme);

        assertThat(hits).extracting(RuleHit::ruleId, RuleHit::mode, RuleHit::ruleVersion, RuleHit::txId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("active", RuleMode.ACTIVE, 2, "t1"),
                        org.assertj.core.groups.Tuple.tuple("test", RuleMode.TEST, 2, "t1"));
        assertThat(evaluator.errors()).isZero();
    }

    @Test
    void aRuleAppliesOnlyToTheStartupsInItsScope() {
        RuleSet set = RuleSet.of(List.of(
                rule("acme-only", RuleMode.ACTIVE, Set.of("acme"), "true"),
                rule("other-only", RuleMode.ACTIVE, Set.of("other"), "true"),
                rule("everyone", RuleMode.ACTIVE, Set.of(), "true")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        assertThat(evaluator.evaluate(tx().build(), acme)).extracting(RuleHit::ruleId)
                .containsExactly("acme-only", "everyone");
        assertThat(evaluator.evaluate(tx().startup("other").build(), null)).extracting(RuleHit::ruleId)
                .containsExactly("other-only", "everyone");
    }

    @Test
    void aRunTimeErrorIsCountedAndIsNotAHit() {
        RuleSet set = RuleSet.of(List.of(
                rule("div", RuleMode.ACTIVE, Set.of(), "100 / (event.amountMinor - event.amountMinor) > 1"),
                rule("overflow", RuleMode.ACTIVE, Set.of(), "event.amountMinor * 9223372036854775807 > 0"),
                rule("ok", RuleMode.ACTIVE, Set.of(), "event.present")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        List<RuleHit> hits = evaluator.evaluate(payment("5.00", "a", "b").build(), acme);

        assertThat(hits).extracting(RuleHit::ruleId).containsExactly("ok");
        assertThat(evaluator.errors()).isEqualTo(2);
    }

    @Test
    void readsTheRuleSetSnapshotOnEveryTransaction() {
        AtomicReference<RuleSet> current = new AtomicReference<>(RuleSet.empty());
        RuleEvaluator evaluator = new RuleEvaluator(current::get);
        assertThat(evaluator.evaluate(tx().build(), acme)).isEmpty();

        current.set(current.get().with(rule("r", RuleMode.ACTIVE, Set.of(), "tx.valid")));
        assertThat(evaluator.evaluate(tx().build(), acme)).hasSize(1);

        current.set(current.get().without("r"));
        assertThat(evaluator.evaluate(tx().build(), acme)).isEmpty();
    }

    @Test
    void windowAggregatesIncludeTheCurrentTransaction() {
        RuleSet set = RuleSet.of(List.of(rule("third", RuleMode.ACTIVE, Set.of(),
                "window.customer.minute.count == 3 && window.customer.minute.sum == 6.0")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        assertThat(evaluator.evaluate(payment("1.00", "alice", "bob").at("2026-03-01T10:00:01Z").build(), acme)).isEmpty();
        assertThat(evaluator.evaluate(payment("2.00", "alice", "carl").at("2026-03-01T10:00:02Z").build(), acme)).isEmpty();
        assertThat(evaluator.evaluate(payment("3.00", "alice", "dave").at("2026-03-01T10:00:03Z").build(), acme)).hasSize(1);
    }

    @Test
    void hitsCarryEveryReferencedPathWithItsValue() {
        RuleSet set = RuleSet.of(List.of(rule("r", RuleMode.ACTIVE, Set.of(),
                "event.type == 'PAYMENT' && event.amount >= 2.5 && tx.timestamp >= timestamp('2026-01-01T00:00:00Z')"
                        + " && window.startup.day.sum > 1.0 && tx.endorsers.exists(m, m == startup.msp)"
                        + " && permit.allowedAssetTypes.size() == 2 && window.counterparty.hour.count == 1")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        RuleHit hit = evaluator.evaluate(payment("2.50", "alice", "bob").build(), acme).get(0);

        assertThat(hit.values()).containsExactly(
                org.assertj.core.api.Assertions.entry("event.type", "PAYMENT"),
                org.assertj.core.api.Assertions.entry("event.amount", 2.5),
                org.assertj.core.api.Assertions.entry("tx.timestamp", "2026-03-01T10:00:00Z"),
                org.assertj.core.api.Assertions.entry("window.startup.day.sum", 2.5),
                org.assertj.core.api.Assertions.entry("tx.endorsers", List.of("AcmeMSP")),
                org.assertj.core.api.Assertions.entry("startup.msp", "AcmeMSP"),
                org.assertj.core.api.Assertions.entry("permit.allowedAssetTypes", List.of("DEPOSIT_TOKEN", "STABLECOIN")),
                org.assertj.core.api.Assertions.entry("window.counterparty.hour.count", 1L));
    }

    @Test
    void aTransactionWithoutAnEventSeesEmptyValues() {
        RuleSet set = RuleSet.of(List.of(rule("r", RuleMode.ACTIVE, Set.of(),
                "!event.present && event.type == '' && event.amount == 0.0 && window.customer.day.count == 0"
                        + " && !permit.present && permit.allowedAssetTypes.size() == 0")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        assertThat(evaluator.evaluate(tx().build(), TxBuilder.profile(null))).hasSize(1);
        assertThat(evaluator.errors()).isZero();
    }

    @Test
    void aWholeStructCanBeUsedAndIsReportedAsAMap() {
        RuleSet set = RuleSet.of(List.of(rule("r", RuleMode.ACTIVE, Set.of(),
                "[window.startup.day, window.customer.day].exists(w, w.count > 0 && w.sumMinor == 250)")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        RuleHit hit = evaluator.evaluate(payment("2.50", "alice", "bob").build(), acme).get(0);

        assertThat(hit.values()).containsOnlyKeys("window.startup.day", "window.customer.day");
        assertThat(hit.values().get("window.customer.day"))
                .isEqualTo(java.util.Map.of("count", 1L, "sum", 2.5, "sumMinor", 250L));
    }

    @Test
    void aRunawayComprehensionIsStoppedAndCountedAsAnError() {
        RuleSet set = RuleSet.of(List.of(rule("loop", RuleMode.ACTIVE, Set.of(),
                "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c,"
                        + " [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a + b + c + d + e > 0)))))")));
        RuleEvaluator evaluator = new RuleEvaluator(() -> set);

        assertThat(evaluator.evaluate(tx().build(), acme)).isEmpty();
        assertThat(evaluator.errors()).isEqualTo(1);
    }
}
