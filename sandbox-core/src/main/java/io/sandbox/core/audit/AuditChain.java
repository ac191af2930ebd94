package io.sandbox.core.audit;

import java.util.Arrays;

/**
 * Checks audit rows in order, one at a time: each must name the previous row's hash (the first, 32 zero
 * bytes, unless the check starts from a known anchor) and hash to its stored hash. Stops counting at the
 * first broken row.
 *
 * <pre>{@code
 * AuditVerification result = AuditChain.verify(rowsInSeqOrder);
 * }</pre>
 */
public final class AuditChain {

    private byte[] expectedPrevious;
    private long checked;
    private AuditVerification broken;

    private AuditChain(byte[] anchor) {
        this.expectedPrevious = anchor.clone();
    }

    /** A check of a chain from its first row. */
    public static AuditChain fromGenesis() {
        return new AuditChain(AuditEncoding.genesis());
    }

    /** Verifies a whole chain, in {@code seq} order, from its first row. */
    public static AuditVerification verify(Iterable<AuditEvent> events) {
        AuditChain chain = fromGenesis();
        for (AuditEvent event : events) {
            if (!chain.accept(event)) {
                break;
            }
        }
        return chain.result();
    }

    /** Checks the next row; {@code false} once the chain is broken (later rows are then not looked at). */
    public boolean accept(AuditEvent event) {
        if (broken != null) {
            return false;
        }
        checked++;
        if (!Arrays.equals(event.previousHash(), expectedPrevious)) {
            broken = AuditVerification.broken(checked, event.seq(), "its previous hash does not match the hash of the row before it");
            return false;
        }
        byte[] recomputed;
        try {
            recomputed = AuditEncoding.hashOf(event);
        } catch (IllegalArgumentException e) {
            broken = AuditVerification.broken(checked, event.seq(), "its details are not a JSON document");
            return false;
        }
        if (!Arrays.equals(recomputed, event.hash())) {
            broken = AuditVerification.broken(checked, event.seq(), "its content does not hash to its stored hash");
            return false;
        }
        expectedPrevious = recomputed;
        return true;
    }

    /** The outcome so far. */
    public AuditVerification result() {
        return broken != null ? broken : AuditVerification.ok(checked);
    }
}
