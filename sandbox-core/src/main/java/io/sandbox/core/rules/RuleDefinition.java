package io.sandbox.core.rules;

import java.util.Objects;
import java.util.Set;

/**
 * One version of a policy rule, as the regulator wrote it.
 *
 * @param id         stable id across versions
 * @param version    version number (1, 2, ...)
 * @param name       human name
 * @param severity   how serious a breach is
 * @param mode       TEST, ACTIVE or DISABLED
 * @param scope      startup names it applies to; empty means every startup
 * @param expression a CEL expression over the rule model (docs/rules.md) that evaluates to {@code bool}
 */
public record RuleDefinition(String id, int version, String name, Severity severity, RuleMode mode, Set<String> scope,
        String expression) {

    public RuleDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(expression, "expression");
        scope = scope == null ? Set.of() : Set.copyOf(scope);
    }

    /** The same rule in another mode. */
    public RuleDefinition withMode(RuleMode newMode) {
        return new RuleDefinition(id, version, name, severity, newMode, scope, expression);
    }
}
