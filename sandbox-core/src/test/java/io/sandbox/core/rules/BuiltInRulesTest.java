package io.sandbox.core.rules;

import static io.sandbox.core.rules.TxBuilder.payment;
import static io.sandbox.core.rules.TxBuilder.tx;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInRulesTest {

    private final RuleCompiler compiler = new RuleCompiler();
    private final RuleSet rules = RuleSet.of(BuiltInRules.all().stream().map(compiler::compile).toList());
    private final StartupProfile acme = TxBuilder.profile(null);
    private final RuleEvaluator evaluator = new RuleEvaluator(() -> rules);

    private List<String> hits(TransactionFacts tx) {
        return evaluator.evaluate(tx, acme).stream().map(RuleHit::ruleId).toList();
    }

    @Test
    void areActiveForEveryStartup() {
        assertThat(BuiltInRules.all()).extracting(RuleDefinition::id).containsExactly("builtin:invalid-ratio",
                "builtin:unknown-chaincode", "builtin:config-changed", "builtin:unexpected-endorser");
        assertThat(BuiltInRules.all()).allSatisfy(d -> {
            assertThat(d.mode()).isEqualTo(RuleMode.ACTIVE);
            assertThat(d.scope()).isEmpty();
        });
    }

    @Test
    void anOrdinaryTransactionHitsNothing() {
        assertThat(hits(payment("1.00", "a", "b").build())).isEmpty();
    }

    @Test
    void invalidRatioNeedsTheMinimumCountAndMoreThanAFifth() {
        Instant t = TxBuilder.T0;
        for (int i = 0; i < 15; i++) {
            assertThat(hits(tx().at(t.plusSeconds(i)).build())).isEmpty();
        }
        // 4 invalid of 19: too few transactions
        for (int i = 0; i < 4; i++) {
            assertThat(hits(tx().invalid().at(t.plusSeconds(20 + i)).build())).isEmpty();
        }
        // 5 invalid of 20 = 25 % > 20 %: hits, and only on the invalid transaction
        assertThat(hits(tx().invalid().at(t.plusSeconds(30)).build())).containsExactly("builtin:invalid-ratio");
        assertThat(hits(tx().at(t.plusSeconds(31)).build())).isEmpty();
        // an hour later the window has emptied
        assertThat(hits(tx().invalid().at(t.plusSeconds(3700)).build())).isEmpty();
    }

    @Test
    void invalidRatioAtExactlyAFifthDoesNotHit() {
        Instant t = TxBuilder.T0;
        for (int i = 0; i < 16; i++) {
            hits(tx().at(t.plusSeconds(i)).build());
        }
        for (int i = 0; i < 3; i++) {
            hits(tx().invalid().at(t.plusSeconds(20 + i)).build());
        }
        assertThat(hits(tx().invalid().at(t.plusSeconds(30)).build())).as("4 of 20").isEmpty();
    }

    @Test
    void unknownChaincodeInvokedOrDeployed() {
        assertThat(hits(tx().chaincode("shadow", "mint").build())).containsExactly("builtin:unknown-chaincode");
        assertThat(hits(tx().chaincode("_lifecycle", "ApproveChaincodeDefinitionForMyOrg").build())).isEmpty();
        // the sandbox chaincode committed at provisioning is known; another one is not
        assertThat(hits(tx().deploys("sandbox").build())).isEmpty();
        assertThat(hits(tx().deploys("shadow").build())).containsExactly("builtin:unknown-chaincode");
        assertThat(hits(tx().deploys("shadow").invalid().build())).isEmpty();
        assertThat(hits(tx().chaincode(null, null).header("CONFIG").block(0).build())).isEmpty();
    }

    @Test
    void configChangedAfterGenesis() {
        assertThat(hits(tx().chaincode(null, null).header("CONFIG").block(0).build())).isEmpty();
        assertThat(hits(tx().chaincode(null, null).header("CONFIG").block(7).build()))
                .containsExactly("builtin:config-changed");
    }

    @Test
    void unexpectedEndorser() {
        assertThat(hits(tx().endorsers("AcmeMSP", "RegulatorMSP").build())).isEmpty();
        assertThat(hits(tx().endorsers("AcmeMSP", "MalloryMSP").build())).containsExactly("builtin:unexpected-endorser");
        RuleHit hit = evaluator.evaluate(tx().endorsers("MalloryMSP").build(), acme).get(0);
        assertThat(hit.severity()).isEqualTo(Severity.SEVERE);
        assertThat(hit.values()).containsEntry("tx.endorsers", List.of("MalloryMSP"))
                .containsEntry("startup.expectedMsps", List.of("AcmeMSP", "RegulatorMSP"));
    }
}
