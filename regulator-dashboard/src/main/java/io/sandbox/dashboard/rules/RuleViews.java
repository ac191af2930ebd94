package io.sandbox.dashboard.rules;

import java.time.Instant;
import java.util.List;

/** What the rules API returns. */
public final class RuleViews {

    private RuleViews() {
    }

    /** One version of a rule. */
    public record Version(int version, String name, String description, String severity, String mode,
            List<String> scope, String expression, String changedBy, String reason, Instant changedAt) {
    }

    /** A rule with its current version. */
    public record Rule(String id, String origin, int currentVersion, Version current) {
    }

    /** A rule's history, newest first. */
    public record Versions(String id, String origin, List<Version> versions) {
    }

    /** The body of {@code POST /rules} and {@code PUT /rules/{id}}; scope empty or absent = every startup. */
    public record RuleRequest(String name, String description, String severity, String mode, List<String> scope,
            String expression, String reason) {
    }

    /** The body of {@code POST /rules/{id}/mode}. */
    public record ModeRequest(String mode, String reason) {
    }

    /** The body of {@code POST /rules/backtest}: a draft over a startup's stored history in [from, to). */
    public record BacktestRequest(String expression, String name, String severity, String startup, Instant from,
            Instant to, Integer maxHits) {
    }

    /** One would-be hit of a backtest. */
    public record BacktestHit(String txId, java.util.Map<String, Object> values) {
    }

    /** What a backtest found. */
    public record BacktestResult(String startup, String channel, Instant from, Instant to, long scanned, long hits,
            long errors, long millis, List<BacktestHit> firstHits) {
    }
}
