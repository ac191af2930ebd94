package io.sandbox.dashboard.risk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sandbox.core.risk.RiskScore;
import io.sandbox.core.rules.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The risk time series: snapshots written in the ingestion transaction ({@link #insert}), the latest score of each
 * startup exported as Micrometer gauges {@code sandbox.risk.score{startup}} and
 * {@code sandbox.risk.component{startup,component}}, and the series read back for the API and the dashboard.
 */
@ApplicationScoped
public class RiskService {

    /** How far back alerts count as breaches: open or acknowledged ones, and any raised within it. */
    public static final String BREACH_LOOK_BACK = "7 days";

    /** One point of a startup's series. */
    public record Point(Instant computedAt, double score, Map<String, Double> components) {
    }

    /** A startup's series in a period, oldest first, and its latest point. */
    public record Series(String startup, Instant from, Instant to, Point latest, List<Point> points) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgroalDataSource dataSource;
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Point>> latest = new ConcurrentHashMap<>();
    private final Map<String, Boolean> componentGauges = new ConcurrentHashMap<>();

    RiskService(AgroalDataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.registry = registry;
    }

    /** Breach counts by severity for the risk model: RULE alerts not dismissed as false positives. */
    public static Map<Severity, Long> breaches(Connection c, String startup) throws SQLException {
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        try (PreparedStatement select = c.prepareStatement("select severity, count(*) from alert where startup = ? "
                + "and kind = 'RULE' and status <> 'FALSE_POSITIVE' and (status in ('OPEN', 'ACKNOWLEDGED') "
                + "or raised_at > now() - interval '" + BREACH_LOOK_BACK + "') group by severity")) {
            select.setString(1, startup);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    counts.put(Severity.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** Inserts a snapshot in the caller's transaction. */
    public static Point insert(Connection c, String startup, Instant at, RiskScore score) throws SQLException {
        Point point = new Point(at, score.score(), new LinkedHashMap<>(score.components()));
        try (PreparedStatement insert = c.prepareStatement(
                "insert into risk_snapshot (startup, computed_at, score, components) values (?, ?, ?, ?::jsonb)")) {
            insert.setString(1, startup);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setBigDecimal(3, BigDecimal.valueOf(score.score()).setScale(2, java.math.RoundingMode.HALF_UP));
            insert.setString(4, JSON.writeValueAsString(point.components()));
            insert.executeUpdate();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("components are numbers", e);
        }
        return point;
    }

    /** Publishes a committed snapshot to the gauges. */
    public void committed(String startup, Point point) {
        AtomicReference<Point> ref = latest.computeIfAbsent(startup, s -> {
            AtomicReference<Point> r = new AtomicReference<>();
            Gauge.builder("sandbox.risk.score", r, x -> x.get() == null ? Double.NaN : x.get().score())
                    .description("The startup's risk score, 0-100 (docs/risk.md)").tag("startup", s)
                    .strongReference(true).register(registry);
            return r;
        });
        ref.set(point);
        for (String component : point.components().keySet()) {
            componentGauges.computeIfAbsent(startup + "\u0000" + component, k -> {
                Gauge.builder("sandbox.risk.component", ref, x -> {
                    Point p = x.get();
                    Double v = p == null ? null : p.components().get(component);
                    return v == null ? Double.NaN : v;
                }).description("One component of the startup's risk score, 0-100").tag("startup", startup)
                        .tag("component", component).strongReference(true).register(registry);
                return Boolean.TRUE;
            });
        }
    }

    /** The latest snapshot of a startup, from the database. */
    public Point latest(String startup) {
        List<Point> points = query("select computed_at, score, components from risk_snapshot where startup = ? "
                + "order by computed_at desc, id desc limit 1", startup, null, null);
        return points.isEmpty() ? null : points.get(0);
    }

    /** A startup's series in [from, to), at most {@code max} points (the newest), oldest first. */
    public Series series(String startup, Instant from, Instant to, int max) {
        List<Point> points = new ArrayList<>(query("select computed_at, score, components from risk_snapshot "
                + "where startup = ? and computed_at >= ? and computed_at < ? order by computed_at desc, id desc limit "
                + max, startup, from, to));
        java.util.Collections.reverse(points);
        return new Series(startup, from, to, latest(startup), points);
    }

    private List<Point> query(String sql, String startup, Instant from, Instant to) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, startup);
            if (from != null) {
                select.setTimestamp(2, Timestamp.from(from));
                select.setTimestamp(3, Timestamp.from(to));
            }
            List<Point> points = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    points.add(new Point(rs.getTimestamp(1).toInstant(), rs.getBigDecimal(2).doubleValue(),
                            JSON.readValue(rs.getString(3), new TypeReference<LinkedHashMap<String, Double>>() {
                            })));
                }
            }
            return points;
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot read the risk of " + startup + ": " + e.getMessage(), e);
        }
    }
}
