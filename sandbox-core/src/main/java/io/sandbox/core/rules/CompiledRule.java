package io.sandbox.core.rules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A rule ready to evaluate: its definition, its planned expression and the model paths it references. Immutable and thread-safe. */
public final class CompiledRule {

    private final RuleDefinition definition;
    private final CelRuntime.Program program;
    private final List<String> paths;
    private final DirectEvaluation.Plan plan;

    CompiledRule(RuleDefinition definition, CelRuntime.Program program, List<String> paths,
            DirectEvaluation.Plan plan) {
        this.definition = definition;
        this.program = program;
        this.paths = paths;
        this.plan = plan;
    }

    /** The rule as written. */
    public RuleDefinition definition() {
        return definition;
    }

    /** Whether the rule's scope includes {@code startup} (an empty scope includes every startup). */
    public boolean appliesTo(String startup) {
        return definition.scope().isEmpty() || definition.scope().contains(startup);
    }

    /** The model paths the expression references, e.g. {@code event.amount}, in the order they appear. */
    public List<String> referencedPaths() {
        return paths;
    }

    /**
     * Evaluates against the variables; true only for a {@code true} result. Decided in Java where the expression
     * allows it ({@link DirectEvaluation}), by the interpreter otherwise.
     */
    boolean matches(ModelValues values) throws CelEvaluationException {
        if (plan.whole() != null) {
            return plan.whole().test(values);
        }
        if (plan.guard() != null && !plan.guard().test(values)) {
            return false;
        }
        return interpreted(values);
    }

    /** The interpreter's verdict alone. */
    boolean interpreted(ModelValues values) throws CelEvaluationException {
        return Boolean.TRUE.equals(program.eval(values));
    }

    /** Whether the interpreter is never needed for this rule. */
    boolean decidedDirectly() {
        return plan.whole() != null;
    }

    /** The hit for a transaction the rule matched. */
    RuleHit hit(String txId, ModelValues model) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String path : paths) {
            values.put(path, RuleModel.jsonFriendly(model.value(path)));
        }
        return new RuleHit(definition.id(), definition.version(), definition.name(), definition.severity(),
                definition.mode(), txId, values);
    }

    @Override
    public String toString() {
        return "CompiledRule[" + definition.id() + " v" + definition.version() + "]";
    }
}
