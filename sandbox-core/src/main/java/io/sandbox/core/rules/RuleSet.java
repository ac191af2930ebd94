package io.sandbox.core.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** An immutable snapshot of compiled rules, at most one per rule id (the last one given wins). Thread-safe. */
public final class RuleSet {

    private static final RuleSet EMPTY = new RuleSet(List.of());

    private final List<CompiledRule> rules;

    private RuleSet(List<CompiledRule> rules) {
        this.rules = rules;
    }

    /** The empty set. */
    public static RuleSet empty() {
        return EMPTY;
    }

    /** A set of these rules; for a repeated id, the later rule replaces the earlier one. */
    public static RuleSet of(Collection<CompiledRule> rules) {
        List<CompiledRule> list = new ArrayList<>();
        for (CompiledRule rule : rules) {
            Objects.requireNonNull(rule, "rule");
            list.removeIf(r -> r.definition().id().equals(rule.definition().id()));
            list.add(rule);
        }
        return new RuleSet(List.copyOf(list));
    }

    /** The rules, in the order given. */
    public List<CompiledRule> rules() {
        return rules;
    }

    /** This set with {@code rule} added, or replacing the rule with its id. */
    public RuleSet with(CompiledRule rule) {
        List<CompiledRule> list = new ArrayList<>(rules);
        list.add(rule);
        return of(list);
    }

    /** This set without the rule with that id. */
    public RuleSet without(String ruleId) {
        return new RuleSet(rules.stream().filter(r -> !r.definition().id().equals(ruleId)).toList());
    }

    /** How many rules. */
    public int size() {
        return rules.size();
    }
}
