package io.sandbox.core.rules;

import java.util.List;
import java.util.stream.Collectors;

/** A rule that does not parse or type-check, with what is wrong and where. */
public final class RuleCompilationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param line    1-based line in the expression
     * @param column  1-based column in the expression
     * @param message what is wrong, as CEL says it, e.g. {@code undefined field 'amuont'}
     */
    public record Issue(int line, int column, String message) {

        @Override
        public String toString() {
            return line + ":" + column + ": " + message;
        }
    }

    private final transient List<Issue> issues;

    public RuleCompilationException(String ruleId, List<Issue> issues) {
        super("rule " + ruleId + " does not compile: "
                + issues.stream().map(Issue::toString).collect(Collectors.joining("; ")));
        this.issues = List.copyOf(issues);
    }

    /** The problems, in source order. */
    public List<Issue> issues() {
        return issues;
    }
}
