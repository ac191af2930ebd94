package io.sandbox.core.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule that matched a transaction.
 *
 * @param values every model path the expression references (e.g. {@code event.amount},
 *               {@code window.startup.day.sum}) with its value for this transaction, JSON-friendly
 *               (String, Long, Double, Boolean, List, or an ISO-8601 String for timestamps); in expression order
 */
public record RuleHit(String ruleId, int ruleVersion, String ruleName, Severity severity, RuleMode mode, String txId,
        Map<String, Object> values) {

    public RuleHit {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
