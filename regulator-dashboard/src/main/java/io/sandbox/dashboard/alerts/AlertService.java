package io.sandbox.dashboard.alerts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.web.FieldErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads alerts and moves them through the workflow OPEN → ACKNOWLEDGED → RESOLVED | FALSE_POSITIVE. */
@ApplicationScoped
public class AlertService {

    /** The statuses. */
    public static final List<String> STATUSES = List.of("OPEN", "ACKNOWLEDGED", "RESOLVED", "FALSE_POSITIVE");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "OPEN", Set.of("ACKNOWLEDGED", "RESOLVED", "FALSE_POSITIVE"),
            "ACKNOWLEDGED", Set.of("RESOLVED", "FALSE_POSITIVE"),
            "RESOLVED", Set.of(),
            "FALSE_POSITIVE", Set.of());
    private static final String COLUMNS = "id, kind, severity, status, rule_id, rule_version, startup, channel, "
            + "block_number, tx_id, tx_ids, title, detail, trigger_values, raised_at, status_changed_at";

    /** Filters of a listing; null = any. */
    public record Filter(String status, String startup, String severity, String kind) {
    }

    private final AgroalDataSource dataSource;
    private final AuditLog audit;
    private final ObjectMapper json = new ObjectMapper();

    AlertService(AgroalDataSource dataSource, AuditLog audit) {
        this.dataSource = dataSource;
        this.audit = audit;
    }

    /** A page of alerts, newest first. */
    public AlertViews.Page list(Filter filter, int offset, int limit) {
        StringBuilder where = new StringBuilder(" where true");
        List<String> args = new ArrayList<>();
        add(where, args, "status", filter.status());
        add(where, args, "startup", filter.startup());
        add(where, args, "severity", filter.severity());
        add(where, args, "kind", filter.kind());
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = c.prepareStatement("select count(*) from alert" + where)) {
                bind(count, args);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AlertViews.Alert> alerts = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from alert" + where
                    + " order by raised_at desc, id desc offset " + offset + " limit " + limit)) {
                bind(select, args);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        alerts.add(alert(rs));
                    }
                }
            }
            return new AlertViews.Page(total, offset, limit, alerts);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read alerts: " + e.getMessage(), e);
        }
    }

    /** One alert with its transitions. */
    public AlertViews.AlertDetail get(long id) {
        try (Connection c = dataSource.getConnection()) {
            AlertViews.Alert alert;
            try (PreparedStatement select = c.prepareStatement("select " + COLUMNS + " from alert where id = ?")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("Alert " + id);
                    }
                    alert = alert(rs);
                }
            }
            List<AlertViews.Transition> transitions = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("select from_status, to_status, comment, changed_by, "
                    + "changed_at from alert_transition where alert_id = ? order by id")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        transitions.add(new AlertViews.Transition(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            return new AlertViews.AlertDetail(alert, transitions);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read alert " + id + ": " + e.getMessage(), e);
        }
    }

    /** Moves the alert on (409 for a transition the workflow does not allow); audited. */
    @Transactional
    public AlertViews.AlertDetail transition(String actor, long id, AlertViews.TransitionRequest body) {
        FieldErrors errors = new FieldErrors();
        String to = body == null ? null : body.to();
        if (to == null || to.isBlank()) {
            errors.add("to", "is required");
        } else if (!STATUSES.contains(to.strip().toUpperCase(Locale.ROOT))) {
            errors.add("to", "must be one of " + STATUSES + ", got '" + to + "'");
        }
        String comment = errors.text("comment", body == null ? null : body.comment(), 4000);
        errors.check();
        String target = to.strip().toUpperCase(Locale.ROOT);
        String from;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement select = c.prepareStatement("select status from alert where id = ? for update")) {
                select.setLong(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("Alert " + id);
                    }
                    from = rs.getString(1);
                }
            }
            if (!ALLOWED.getOrDefault(from, Set.of()).contains(target)) {
                throw ProblemException.conflict("Alert " + id + " is " + from + "; it cannot move to " + target
                        + (ALLOWED.get(from).isEmpty() ? " (it is closed)." : " (allowed: " + ALLOWED.get(from) + ")."));
            }
            try (PreparedStatement update = c.prepareStatement(
                    "update alert set status = ?, status_changed_at = now() where id = ?")) {
                update.setString(1, target);
                update.setLong(2, id);
                update.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("insert into alert_transition (alert_id, from_status, "
                    + "to_status, comment, changed_by) values (?, ?, ?, ?, ?)")) {
                insert.setLong(1, id);
                insert.setString(2, from);
                insert.setString(3, target);
                insert.setString(4, comment);
                insert.setString(5, actor);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change alert " + id + ": " + e.getMessage(), e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", from);
        details.put("to", target);
        audit.append(actor, "alert." + target.toLowerCase(Locale.ROOT).replace('_', '-'), "alert/" + id, comment,
                details);
        return get(id);
    }

    private static void add(StringBuilder where, List<String> args, String column, String value) {
        if (value != null && !value.isBlank()) {
            where.append(" and ").append(column).append(" = ?");
            args.add(value.strip());
        }
    }

    private static void bind(PreparedStatement s, List<String> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setString(i + 1, args.get(i));
        }
    }

    private AlertViews.Alert alert(ResultSet rs) throws SQLException {
        Array txIds = rs.getArray(11);
        String values = rs.getString(14);
        Map<String, Object> parsed = Map.of();
        if (values != null) {
            try {
                parsed = json.readValue(values, new TypeReference<LinkedHashMap<String, Object>>() {
                });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                parsed = Map.of();
            }
        }
        Timestamp changed = rs.getTimestamp(16);
        int version = rs.getInt(6);
        Integer ruleVersion = rs.wasNull() ? null : version;
        long block = rs.getLong(9);
        Long blockNumber = rs.wasNull() ? null : block;
        return new AlertViews.Alert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ruleVersion, rs.getString(7), rs.getString(8), blockNumber, rs.getString(10),
                txIds == null ? (rs.getString(10) == null ? List.of() : List.of(rs.getString(10)))
                        : Arrays.asList((String[]) txIds.getArray()),
                rs.getString(12), rs.getString(13), parsed, rs.getTimestamp(15).toInstant(),
                changed == null ? null : changed.toInstant());
    }
}
