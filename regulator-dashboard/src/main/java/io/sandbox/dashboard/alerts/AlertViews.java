package io.sandbox.dashboard.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the alerts API and the live feed carry. */
public final class AlertViews {

    private AlertViews() {
    }

    /** An alert. */
    public record Alert(long id, String kind, String severity, String status, String ruleId, Integer ruleVersion,
            String startup, String channel, Long blockNumber, String txId, List<String> txIds, String title,
            String detail, Map<String, Object> values, Instant raisedAt, Instant statusChangedAt) {
    }

    /** A status change. */
    public record Transition(String from, String to, String comment, String changedBy, Instant changedAt) {
    }

    /** An alert with its transitions, oldest first. */
    public record AlertDetail(Alert alert, List<Transition> transitions) {
    }

    /** A page of alerts, newest first. */
    public record Page(long total, int offset, int limit, List<Alert> alerts) {
    }

    /** The body of a transition. */
    public record TransitionRequest(String to, String comment) {
    }
}
