package io.sandbox.core.audit;

import java.util.Optional;

/**
 * The outcome of re-computing the audit chain.
 *
 * @param intact whether every row checked links to its predecessor and hashes to its stored hash
 * @param eventsChecked how many rows were checked (up to and including the first broken one)
 * @param firstBrokenSeq the {@code seq} of the first row that does not verify, if any
 * @param problem what is wrong with that row, if any
 */
public record AuditVerification(boolean intact, long eventsChecked, Optional<Long> firstBrokenSeq, Optional<String> problem) {

    static AuditVerification ok(long checked) {
        return new AuditVerification(true, checked, Optional.empty(), Optional.empty());
    }

    static AuditVerification broken(long checked, long seq, String problem) {
        return new AuditVerification(false, checked, Optional.of(seq), Optional.of(problem));
    }
}
