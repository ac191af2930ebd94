package io.sandbox.core.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One row of the audit log.
 *
 * @param seq the row's position (ascending, possibly with gaps)
 * @param occurredAt when it was appended, microsecond precision
 * @param actor who acted (a user name, or a service)
 * @param action what was done, e.g. {@code application.approved}
 * @param subject what it was done to, e.g. {@code application/3f0c…}
 * @param reason the stated reason, if any
 * @param details canonical JSON object with the specifics (see {@link AuditEncoding#canonicalJson})
 * @param previousHash the previous row's hash (32 zero bytes for the first row)
 * @param hash this row's hash
 */
public record AuditEvent(long seq, Instant occurredAt, String actor, String action, String subject, String reason,
        String details, byte[] previousHash, byte[] hash) {

    public AuditEvent {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(details, "details");
        previousHash = Objects.requireNonNull(previousHash, "previousHash").clone();
        hash = Objects.requireNonNull(hash, "hash").clone();
    }

    @Override
    public byte[] previousHash() {
        return previousHash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The hash in lower-case hex. */
    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AuditEvent e && seq == e.seq && occurredAt.equals(e.occurredAt) && actor.equals(e.actor)
                && action.equals(e.action) && subject.equals(e.subject) && Objects.equals(reason, e.reason)
                && details.equals(e.details) && Arrays.equals(previousHash, e.previousHash) && Arrays.equals(hash, e.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, actor, action, subject, Arrays.hashCode(hash));
    }

    @Override
    public String toString() {
        return "AuditEvent[seq=" + seq + ", action=" + action + ", subject=" + subject + ", hash=" + hashHex() + "]";
    }
}
