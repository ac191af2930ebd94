package io.sandbox.dashboard.rules;

import io.agroal.api.AgroalDataSource;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.rules.RuleDefinition;
import io.sandbox.core.rules.RuleMode;
import io.sandbox.core.rules.Severity;
import io.sandbox.core.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rules and their versions in the database ({@code rule}, {@code rule_version}). Every write runs in the caller's
 * transaction and appends its audit event there, so a change is stored if and only if its audit event is.
 */
@ApplicationScoped
public class RuleStore {

    /** Where a rule comes from. */
    public enum Origin { USER, PERMIT, BUILT_IN }

    /** A stored rule version with its origin. */
    public record Stored(String id, Origin origin, int currentVersion, RuleViews.Version version) {

        /** The engine's definition of this version. */
        public RuleDefinition definition() {
            return new RuleDefinition(id, version.version(), version.name(), Severity.valueOf(version.severity()),
                    RuleMode.valueOf(version.mode()), version.scope() == null ? Set.of() : Set.copyOf(version.scope()),
                    version.expression());
        }
    }

    private static final String SELECT = "select r.id, r.origin, r.current_version, v.version, v.name, v.description, "
            + "v.severity, v.mode, v.scope, v.expression, v.changed_by, v.reason, v.changed_at from rule r "
            + "join rule_version v on v.rule_id = r.id";

    private final AgroalDataSource dataSource;
    private final AuditLog audit;

    RuleStore(AgroalDataSource dataSource, AuditLog audit) {
        this.dataSource = dataSource;
        this.audit = audit;
    }

    /** Every rule at its current version, by id. */
    public List<Stored> current() {
        return query(SELECT + " and v.version = r.current_version order by r.id", null);
    }

    /** One rule at its current version. */
    public Optional<Stored> find(String id) {
        List<Stored> found = query(SELECT + " and v.version = r.current_version where r.id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** Every version of a rule, newest first. */
    public List<Stored> versions(String id) {
        return query(SELECT + " where r.id = ? order by v.version desc", id);
    }

    /** Stores a new rule at version 1 and audits it. */
    @Transactional
    public Stored create(String actor, Origin origin, RuleDefinition rule, String description, String reason) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "insert into rule (id, origin, current_version) values (?, ?, 1) on conflict do nothing")) {
                insert.setString(1, rule.id());
                insert.setString(2, origin.name());
                if (insert.executeUpdate() == 0) {
                    throw ProblemException.conflict("Rule '" + rule.id() + "' exists already.");
                }
            }
            insertVersion(c, rule, 1, description, actor, reason);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store rule " + rule.id() + ": " + e.getMessage(), e);
        }
        audit.append(actor, "rule.created", "rule/" + rule.id(), reason, details(origin, rule, 1, description));
        return find(rule.id()).orElseThrow();
    }

    /** Stores {@code rule} as the rule's next version and audits it as {@code action}. */
    @Transactional
    public Stored newVersion(String actor, String action, String id, RuleDefinition rule, String description,
            String reason) {
        int version;
        Origin origin;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement bump = c.prepareStatement("update rule set current_version = current_version + 1 "
                    + "where id = ? returning current_version, origin")) {
                bump.setString(1, id);
                try (ResultSet rs = bump.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("Rule '" + id + "'");
                    }
                    version = rs.getInt(1);
                    origin = Origin.valueOf(rs.getString(2));
                }
            }
            insertVersion(c, rule, version, description, actor, reason);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store rule " + id + ": " + e.getMessage(), e);
        }
        audit.append(actor, action, "rule/" + id, reason, details(origin, rule, version, description));
        return find(id).orElseThrow();
    }

    /** Creates the rule or, if its current version differs, adds a version; returns the version in force. */
    @Transactional
    public Stored upsert(String actor, Origin origin, RuleDefinition rule, String description, String reason) {
        Optional<Stored> existing = find(rule.id());
        if (existing.isEmpty()) {
            return create(actor, origin, rule, description, reason);
        }
        RuleDefinition current = existing.get().definition();
        if (same(current, rule)) {
            return existing.get();
        }
        return newVersion(actor, "rule.versioned", rule.id(), rule, description, reason);
    }

    /** Ids of stored rules starting with {@code prefix}. */
    public List<String> idsStartingWith(String prefix) {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select id from rule where starts_with(id, ?) order by id")) {
            select.setString(1, prefix);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rules: " + e.getMessage(), e);
        }
        return ids;
    }

    static boolean same(RuleDefinition a, RuleDefinition b) {
        return a.name().equals(b.name()) && a.severity() == b.severity() && a.mode() == b.mode()
                && a.scope().equals(b.scope()) && a.expression().equals(b.expression());
    }

    private static void insertVersion(Connection c, RuleDefinition rule, int version, String description, String actor,
            String reason) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into rule_version (rule_id, version, name, "
                + "description, severity, mode, scope, expression, changed_by, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, rule.id());
            insert.setInt(2, version);
            insert.setString(3, rule.name());
            insert.setString(4, description);
            insert.setString(5, rule.severity().name());
            insert.setString(6, rule.mode().name());
            insert.setArray(7, rule.scope().isEmpty() ? null
                    : c.createArrayOf("text", new TreeSet<>(rule.scope()).toArray()));
            insert.setString(8, rule.expression());
            insert.setString(9, actor);
            insert.setString(10, reason);
            insert.executeUpdate();
        }
    }

    private static Map<String, Object> details(Origin origin, RuleDefinition rule, int version, String description) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("origin", origin.name());
        details.put("version", version);
        details.put("name", rule.name());
        if (description != null) {
            details.put("description", description);
        }
        details.put("severity", rule.severity().name());
        details.put("mode", rule.mode().name());
        details.put("scope", new ArrayList<>(new TreeSet<>(rule.scope())));
        details.put("expression", rule.expression());
        return details;
    }

    private List<Stored> query(String sql, String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            if (id != null) {
                select.setString(1, id);
            }
            List<Stored> all = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Array scope = rs.getArray(9);
                    all.add(new Stored(rs.getString(1), Origin.valueOf(rs.getString(2)), rs.getInt(3),
                            new RuleViews.Version(rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7),
                                    rs.getString(8), scope == null ? List.of() : Arrays.asList((String[]) scope.getArray()),
                                    rs.getString(10), rs.getString(11), rs.getString(12), rs.getTimestamp(13).toInstant())));
                }
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read rules: " + e.getMessage(), e);
        }
    }
}
