package io.sandbox.core.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Appends to and verifies the hash-chained audit log ({@code audit_event}).
 *
 * <p>{@link #append} joins the caller's transaction (it refuses to run without one): the event is stored
 * if and only if the decision it records is. Appends hold a transaction-scoped advisory lock until commit,
 * so concurrent appends are serialised and each links to the row committed before it.
 *
 * <pre>{@code
 * @Transactional
 * void approve(...) {
 *     ...
 *     audit.append(caller.username(), "application.approved", "application/" + id, reason, Map.of("permit", permit));
 * }
 * }</pre>
 */
@ApplicationScoped
public class AuditLog {

    /** The advisory lock key that serialises appends ("audit" as ASCII). */
    static final long APPEND_LOCK = 0x61756469744CL;

    private final DataSource dataSource;

    AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends one event in the caller's transaction and returns it as stored.
     *
     * @param actor who acted, e.g. the regulator's user name
     * @param action what was done, e.g. {@code application.rejected}
     * @param subject what it was done to, e.g. {@code application/<id>}
     * @param reason the stated reason, or {@code null}
     * @param details specifics as a JSON object (values Jackson can serialise)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent append(String actor, String action, String subject, String reason, Map<String, ?> details) {
        requireText(actor, "actor");
        requireText(action, "action");
        requireText(subject, "subject");
        String canonical = AuditEncoding.canonicalJson(Objects.requireNonNull(details, "details"));
        Instant now = AuditEncoding.truncate(Instant.now());
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, APPEND_LOCK);
                lock.execute();
            }
            byte[] previous = AuditEncoding.genesis();
            Instant last = null;
            try (PreparedStatement tail = connection.prepareStatement(
                    "select hash, occurred_at from audit_event order by seq desc limit 1");
                    ResultSet row = tail.executeQuery()) {
                if (row.next()) {
                    previous = row.getBytes(1);
                    last = row.getObject(2, OffsetDateTime.class).toInstant();
                }
            }
            // Keep occurred_at monotonic along the chain even if clocks step back.
            Instant occurredAt = last != null && now.isBefore(last) ? last : now;
            byte[] hash = AuditEncoding.hash(
                    AuditEncoding.content(occurredAt, actor, action, subject, reason, canonical), previous);
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into audit_event (occurred_at, actor, action, subject, reason, details, previous_hash, hash)
                    values (?, ?, ?, ?, ?, ?::jsonb, ?, ?) returning seq""")) {
                insert.setObject(1, OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC));
                insert.setString(2, actor);
                insert.setString(3, action);
                insert.setString(4, subject);
                insert.setString(5, reason);
                insert.setString(6, canonical);
                insert.setBytes(7, previous);
                insert.setBytes(8, hash);
                try (ResultSet key = insert.executeQuery()) {
                    key.next();
                    return new AuditEvent(key.getLong(1), occurredAt, actor, action, subject, reason, canonical, previous, hash);
                }
            }
        } catch (SQLException e) {
            throw new AuditLogException("Could not append to the audit log: " + e.getMessage(), e);
        }
    }

    /** Re-computes the whole stored chain, oldest row first, and reports the first row that does not verify. */
    @Transactional
    public AuditVerification verify() {
        AuditChain chain = AuditChain.fromGenesis();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement rows = connection.prepareStatement("""
                        select seq, occurred_at, actor, action, subject, reason, details::text, previous_hash, hash
                        from audit_event order by seq""")) {
            rows.setFetchSize(500);
            try (ResultSet row = rows.executeQuery()) {
                while (row.next()) {
                    AuditEvent event = new AuditEvent(row.getLong(1), row.getObject(2, OffsetDateTime.class).toInstant(), row.getString(3),
                            row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getBytes(8),
                            row.getBytes(9));
                    if (!chain.accept(event)) {
                        break;
                    }
                }
            }
        } catch (SQLException e) {
            throw new AuditLogException("Could not read the audit log: " + e.getMessage(), e);
        }
        return chain.result();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
