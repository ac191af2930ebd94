package io.sandbox.core.rules;

import static io.sandbox.core.rules.TxBuilder.asset;
import static io.sandbox.core.rules.TxBuilder.onboarded;
import static io.sandbox.core.rules.TxBuilder.payment;
import static io.sandbox.core.rules.TxBuilder.tx;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermitRulesTest {

    static final Permit PERMIT = new Permit(2, new BigDecimal("1000.00"), new BigDecimal("2500.00"), "EUR",
            List.of("DEPOSIT_TOKEN", "STABLECOIN"), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31"));

    private final StartupProfile acme = TxBuilder.profile(PERMIT);
    private final RuleCompiler compiler = new RuleCompiler();
    private final RuleSet rules = RuleSet.of(PermitRules.derive(acme, 3).stream().map(compiler::compile).toList());
    private final RuleEvaluator evaluator = new RuleEvaluator(() -> rules);

    private List<String> hits(TransactionFacts tx) {
        return evaluator.evaluate(tx, acme).stream().map(RuleHit::ruleId).toList();
    }

    @Test
    void derivesFiveActiveRulesScopedToTheStartup() {
        List<RuleDefinition> derived = PermitRules.derive(acme, 3);

        assertThat(derived).extracting(RuleDefinition::id).containsExactly("permit:acme:max-customers",
                "permit:acme:max-single-value", "permit:acme:max-daily-volume", "permit:acme:asset-types",
                "permit:acme:test-window");
        assertThat(derived).allSatisfy(d -> {
            assertThat(d.mode()).isEqualTo(RuleMode.ACTIVE);
            assertThat(d.scope()).containsExactly("acme");
            assertThat(d.version()).isEqualTo(3);
        });
    }

    @Test
    void derivesNothingWithoutAPermit() {
        assertThat(PermitRules.derive(TxBuilder.profile(null), 1)).isEmpty();
    }

    @Test
    void maxCustomersAtAndJustOver() {
        assertThat(hits(tx().id("c1").event(onboarded("alice")).build())).isEmpty();
        assertThat(hits(tx().id("c2").event(onboarded("bob")).build())).isEmpty();
        assertThat(hits(tx().id("c2b").event(onboarded("bob")).build())).as("same customer again").isEmpty();
        assertThat(hits(tx().id("c3").event(onboarded("carol")).build())).containsExactly("permit:acme:max-customers");
    }

    @Test
    void maxSingleValueAtAndJustOverExactly() {
        assertThat(hits(payment("1000.00", "alice", "bob").id("a").build())).isEmpty();
        assertThat(hits(payment("1000.01", "alice", "bob").id("b").build())).contains("permit:acme:max-single-value");
    }

    @Test
    void maxSingleValueComparesExactlyWithALimitOfMoreDecimals() {
        Permit odd = new Permit(2, new BigDecimal("100.005"), new BigDecimal("5000"), "EUR", List.of("X"),
                LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31"));
        StartupProfile p = TxBuilder.profile(odd);
        RuleSet set = RuleSet.of(List.of(compiler.compile(PermitRules.derive(p, 1).get(1))));
        RuleEvaluator e = new RuleEvaluator(() -> set);

        assertThat(e.evaluate(payment("100.00", "a", "b").build(), p)).isEmpty();
        assertThat(e.evaluate(payment("100.01", "a", "b").build(), p)).hasSize(1);
    }

    @Test
    void maxSingleValueIgnoresOtherCurrencies() {
        ReportingEvent gbp = new ReportingEvent("PAYMENT", new BigDecimal("5000.00"), "GBP", null, null, "p", "a", "b",
                null, null, null, null);
        assertThat(hits(tx().event(gbp).build())).isEmpty();
    }

    @Test
    void maxDailyVolumeAtAndJustOverOverTheSlidingDay() {
        assertThat(hits(payment("1000.00", "a", "b").id("1").at("2026-03-02T08:00:00Z").build())).isEmpty();
        assertThat(hits(payment("1000.00", "a", "b").id("2").at("2026-03-02T12:00:00Z").build())).isEmpty();
        assertThat(hits(payment("500.00", "a", "b").id("3").at("2026-03-02T20:00:00Z").build()))
                .as("exactly 2500.00").isEmpty();
        assertThat(hits(payment("0.01", "a", "b").id("4").at("2026-03-02T21:00:00Z").build()))
                .containsExactly("permit:acme:max-daily-volume");
        // a day after the first payment it has left the window: 1500.01 + 999.99 = 2500.00
        assertThat(hits(payment("999.99", "a", "b").id("5").at("2026-03-03T08:30:00Z").build())).isEmpty();
    }

    @Test
    void assetTypes() {
        assertThat(hits(tx().event(asset("ASSET_ISSUED", "10.00", "STABLECOIN", null, "bob")).build())).isEmpty();
        assertThat(hits(tx().event(asset("ASSET_ISSUED", "10.00", "EQUITY", null, "bob")).build()))
                .containsExactly("permit:acme:asset-types");
        assertThat(hits(payment("10.00", "a", "b").build())).as("payments carry no asset type").isEmpty();
    }

    @Test
    void testWindowFirstAndLastDayInclusive() {
        assertThat(hits(payment("1.00", "a", "b").at("2026-02-28T23:59:59.999Z").build()))
                .containsExactly("permit:acme:test-window");
        assertThat(hits(payment("1.00", "a", "b").at("2026-03-01T00:00:00Z").build())).isEmpty();
        assertThat(hits(payment("1.00", "a", "b").at("2026-03-31T23:59:59.999Z").build())).isEmpty();
        assertThat(hits(payment("1.00", "a", "b").at("2026-04-01T00:00:00Z").build()))
                .containsExactly("permit:acme:test-window");
    }

    @Test
    void followPermitChangesWhenDerivedAgain() {
        Permit raised = new Permit(2, new BigDecimal("2000.00"), new BigDecimal("2500.00"), "EUR",
                List.of("DEPOSIT_TOKEN"), PERMIT.testWindowStart(), PERMIT.testWindowEnd());
        StartupProfile changed = TxBuilder.profile(raised);
        RuleSet v4 = RuleSet.of(PermitRules.derive(changed, 4).stream().map(compiler::compile).toList());
        RuleEvaluator e = new RuleEvaluator(() -> v4);

        List<RuleHit> found = e.evaluate(payment("1500.00", "a", "b").build(), changed);

        assertThat(found).isEmpty();
        assertThat(PermitRules.derive(changed, 4)).allSatisfy(d -> assertThat(d.scope()).isEqualTo(Set.of("acme")));
    }

    @Test
    void hitsCarryTheValuesTheyCompared() {
        RuleHit hit = evaluator.evaluate(payment("1000.01", "alice", "bob").id("big").build(), acme).get(0);

        assertThat(hit.ruleId()).isEqualTo("permit:acme:max-single-value");
        assertThat(hit.ruleVersion()).isEqualTo(3);
        assertThat(hit.txId()).isEqualTo("big");
        assertThat(hit.values()).containsEntry("event.currency", "EUR").containsEntry("permit.currency", "EUR")
                .containsEntry("event.amountMinor", 100001L).containsEntry("permit.maxSingleValueMinor", 100000L);
    }
}
