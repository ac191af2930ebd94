package io.sandbox.core.rules;

import static io.sandbox.core.rules.TxBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleModelTest {

    @Test
    void everyLeafHasAValueOfItsDeclaredTypeAtRunTime() {
        RuleCompiler compiler = new RuleCompiler();
        List<CompiledRule> rules = RuleModel.LEAVES.keySet().stream()
                .map(leaf -> compiler.compile(new RuleDefinition(leaf, 1, leaf, Severity.LOW, RuleMode.ACTIVE, Set.of(),
                        leaf + " == " + leaf)))
                .toList();
        RuleEvaluator evaluator = new RuleEvaluator(() -> RuleSet.of(rules));

        List<RuleHit> hits = evaluator.evaluate(payment("1.50", "alice", "bob").build(),
                TxBuilder.profile(PermitRulesTest.PERMIT));

        assertThat(evaluator.errors()).isZero();
        assertThat(hits).extracting(RuleHit::ruleId).containsExactlyElementsOf(RuleModel.LEAVES.keySet());
        assertThat(RuleModel.LEAVES).hasSize(13 + 13 + 6 + 10 + 15 + 9 + 9);
    }

    @Test
    void docsRulesMdDocumentsEveryField() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "rules.md"));

        for (String leaf : RuleModel.LEAVES.keySet()) {
            if (leaf.startsWith("window.")) {
                String field = leaf.substring(leaf.lastIndexOf('.') + 1);
                assertThat(docs).as(leaf).contains("| `" + field + "` |");
            } else {
                assertThat(docs).as(leaf).contains("`" + leaf + "`");
            }
        }
    }
}
