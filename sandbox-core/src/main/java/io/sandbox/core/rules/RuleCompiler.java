package io.sandbox.core.rules;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Compiles rules: parses and type-checks a rule's CEL expression against the rule model (docs/rules.md) and plans
 * it for evaluation. An expression that does not parse, names an unknown variable or field, or does not evaluate to
 * {@code bool} is refused with a {@link RuleCompilationException} that says what and where.
 *
 * <pre>{@code
 * CompiledRule rule = new RuleCompiler().compile(new RuleDefinition("big-payment", 1, "Big payment",
 *         Severity.HIGH, RuleMode.TEST, Set.of(), "event.type == 'PAYMENT' && event.amount > 10000.0"));
 * }</pre>
 *
 * <p>Compiling is expensive (milliseconds); compile once per rule version. Thread-safe.
 */
public final class RuleCompiler {

    /** The longest expression accepted, in characters. */
    public static final int MAX_EXPRESSION_LENGTH = 10_000;

    /** The most loop iterations one evaluation may run (comprehensions such as {@code exists}, {@code map}). */
    public static final int MAX_ITERATIONS = 10_000;

    static final CelOptions OPTIONS = CelOptions.current()
            .comprehensionMaxIterations(MAX_ITERATIONS)
            .enableTimestampEpoch(true)
            .enableHeterogeneousNumericComparisons(true)
            .build();

    private static final CelCompiler COMPILER = compiler();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private static CelCompiler compiler() {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(RuleModel.TYPES)
                .setResultType(SimpleType.BOOL);
        RuleModel.VARIABLES.forEach(builder::addVar);
        // The leaves too, by qualified name: the checker resolves `event.amount` to the leaf variable, so evaluation
        // asks for it by name instead of selecting through maps; a misspelled field still fails on the struct type.
        RuleModel.LEAVES.forEach(builder::addVar);
        return builder.build();
    }

    /**
     * Compiles one rule.
     *
     * @throws RuleCompilationException if the expression does not parse, does not type-check or is not a
     *                                  {@code bool}
     */
    public CompiledRule compile(RuleDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        String expression = definition.expression();
        if (expression.isBlank()) {
            throw new RuleCompilationException(definition.id(),
                    List.of(new RuleCompilationException.Issue(1, 1, "the expression is empty")));
        }
        if (expression.length() > MAX_EXPRESSION_LENGTH) {
            throw new RuleCompilationException(definition.id(), List.of(new RuleCompilationException.Issue(1, 1,
                    "the expression is longer than " + MAX_EXPRESSION_LENGTH + " characters")));
        }
        CelValidationResult result = COMPILER.compile(expression);
        if (result.hasError()) {
            throw new RuleCompilationException(definition.id(), issues(result.getErrors()));
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            CelRuntime.Program program = RUNTIME.createProgram(ast);
            return new CompiledRule(definition, program, ModelPaths.of(ast), DirectEvaluation.plan(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new RuleCompilationException(definition.id(),
                    List.of(new RuleCompilationException.Issue(1, 1, e.getMessage())));
        }
    }

    private static List<RuleCompilationException.Issue> issues(List<CelIssue> celIssues) {
        List<RuleCompilationException.Issue> issues = new ArrayList<>();
        for (CelIssue issue : celIssues) {
            int line = Math.max(issue.getSourceLocation().getLine(), 1);
            int column = Math.max(issue.getSourceLocation().getColumn(), 0) + 1;
            issues.add(new RuleCompilationException.Issue(line, column, issue.getMessage()));
        }
        return issues;
    }
}
