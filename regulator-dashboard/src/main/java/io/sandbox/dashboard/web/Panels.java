package io.sandbox.dashboard.web;

import io.sandbox.dashboard.alerts.AlertService;
import io.sandbox.dashboard.alerts.AlertViews;
import io.sandbox.dashboard.risk.RiskService;
import io.sandbox.dashboard.startup.StartupRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The dashboard's alerts and risk panels. */
@ApplicationScoped
public class Panels {

    private static final int WIDTH = 160;
    private static final int HEIGHT = 36;
    private static final int MAX_POINTS = 240;

    /** An alert row. */
    public record AlertRow(long id, String severity, String status, String rule, String startup, String values,
            String txId, String raisedAt) {
    }

    /** A startup's risk: score, components and a sparkline of the last day (an SVG polyline's points). */
    public record RiskRow(String startup, String score, List<Map.Entry<String, String>> components, String sparkline,
            int points, String computedAt) {
    }

    private final AlertService alerts;
    private final RiskService risk;
    private final StartupRegistry startups;

    Panels(AlertService alerts, RiskService risk, StartupRegistry startups) {
        this.alerts = alerts;
        this.risk = risk;
        this.startups = startups;
    }

    /** Open and acknowledged alerts, newest first. */
    public List<AlertRow> alerts() {
        List<AlertRow> rows = new ArrayList<>();
        for (String status : List.of("OPEN", "ACKNOWLEDGED")) {
            for (AlertViews.Alert a : alerts.list(new AlertService.Filter(status, null, null, null), 0, 50).alerts()) {
                rows.add(new AlertRow(a.id(), a.severity(), a.status(), a.ruleId() == null ? a.title() : a.ruleId()
                        + " v" + a.ruleVersion(), a.startup() == null ? a.channel() : a.startup(), values(a.values()),
                        a.txId(), a.raisedAt().toString()));
            }
        }
        rows.sort((x, y) -> Long.compare(y.id(), x.id()));
        return rows;
    }

    /** Every startup's risk. */
    public List<RiskRow> risk() {
        Instant now = Instant.now();
        List<RiskRow> rows = new ArrayList<>();
        for (StartupRegistry.Startup s : startups.all()) {
            RiskService.Series series = risk.series(s.name(), now.minus(Duration.ofHours(24)), now.plusSeconds(1),
                    MAX_POINTS);
            RiskService.Point latest = series.latest();
            rows.add(new RiskRow(s.name(), latest == null ? "–" : format(latest.score()),
                    latest == null ? List.of() : latest.components().entrySet().stream()
                            .map(e -> Map.entry(e.getKey(), format(e.getValue()))).toList(),
                    sparkline(series.points()), series.points().size(),
                    latest == null ? "" : latest.computedAt().toString()));
        }
        return rows;
    }

    static String sparkline(List<RiskService.Point> points) {
        if (points.isEmpty()) {
            return "";
        }
        long t0 = points.get(0).computedAt().toEpochMilli();
        long span = Math.max(1, points.get(points.size() - 1).computedAt().toEpochMilli() - t0);
        return points.stream().map(p -> String.format(Locale.ROOT, "%.1f,%.1f",
                points.size() == 1 ? WIDTH : (p.computedAt().toEpochMilli() - t0) * (double) WIDTH / span,
                HEIGHT - p.score() * HEIGHT / 100.0)).collect(Collectors.joining(" "));
    }

    static String values(Map<String, Object> values) {
        return values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String format(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }
}
