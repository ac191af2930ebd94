package io.sandbox.core.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {

    private final RuleCompiler compiler = new RuleCompiler();

    static RuleDefinition rule(String id, String expression) {
        return new RuleDefinition(id, 1, id, Severity.HIGH, RuleMode.ACTIVE, Set.of(), expression);
    }

    private RuleCompilationException.Issue onlyIssue(String expression) {
        try {
            compiler.compile(rule("r", expression));
        } catch (RuleCompilationException e) {
            assertThat(e.issues()).hasSize(1);
            return e.issues().get(0);
        }
        throw new AssertionError("compiled: " + expression);
    }

    @Test
    void compilesAWellTypedRuleAndListsTheModelPathsItReferences() {
        CompiledRule compiled = compiler.compile(rule("big", "event.type == 'PAYMENT' && event.amount > 100.0"
                + " && window.customer.hour.count >= 3 && tx.endorsers.exists(m, m != startup.msp)"));

        assertThat(compiled.referencedPaths()).containsExactly("event.type", "event.amount",
                "window.customer.hour.count", "tx.endorsers", "startup.msp");
    }

    @Test
    void refusesASyntaxErrorWithItsPosition() {
        RuleCompilationException.Issue issue = onlyIssue("event.amount >\n  && true");

        assertThat(issue.line()).isEqualTo(2);
        assertThat(issue.column()).isEqualTo(3);
        assertThat(issue.message()).startsWith("extraneous input '&&'");
    }

    @Test
    void refusesAnUnknownVariable() {
        RuleCompilationException.Issue issue = onlyIssue("amount > 5.0");

        assertThat(issue).isEqualTo(new RuleCompilationException.Issue(1, 1,
                "undeclared reference to 'amount' (in container '')"));
    }

    @Test
    void refusesAMisspelledField() {
        RuleCompilationException.Issue issue = onlyIssue("event.present &&\n event.amuont > 5.0");

        assertThat(issue.line()).isEqualTo(2);
        assertThat(issue.column()).isEqualTo(7);
        assertThat(issue.message()).isEqualTo("undefined field 'amuont'");
    }

    @Test
    void refusesAMisspelledFieldDeepInTheWindows() {
        assertThat(onlyIssue("window.startup.hour.cnt > 1").message()).isEqualTo("undefined field 'cnt'");
        assertThat(onlyIssue("tx.chaincod == 'x'").message()).isEqualTo("undefined field 'chaincod'");
        assertThat(onlyIssue("window.customer.day.invalid > 1").message()).isEqualTo("undefined field 'invalid'");
    }

    @Test
    void refusesAResultThatIsNotABool() {
        RuleCompilationException.Issue issue = onlyIssue("event.amount + 1.0");

        assertThat(issue).isEqualTo(new RuleCompilationException.Issue(1, 14, "expected type 'bool' but found 'double'"));
    }

    @Test
    void refusesWrongOperandTypes() {
        assertThat(onlyIssue("event.amount > 'x'").message()).contains("_>_");
    }

    @Test
    void refusesAnEmptyExpression() {
        assertThatThrownBy(() -> compiler.compile(rule("r", "  ")))
                .isInstanceOf(RuleCompilationException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void compilesThePermitAndBuiltInRules() {
        Permit permit = PermitRulesTest.PERMIT;
        for (RuleDefinition d : PermitRules.derive(TxBuilder.profile(permit), 1)) {
            assertThat(compiler.compile(d).definition()).isEqualTo(d);
        }
        for (RuleDefinition d : BuiltInRules.all()) {
            assertThat(compiler.compile(d).definition()).isEqualTo(d);
        }
    }
}
