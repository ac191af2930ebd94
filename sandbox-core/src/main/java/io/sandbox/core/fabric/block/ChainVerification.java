package io.sandbox.core.fabric.block;

import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of {@link ChainVerifier}: how many blocks passed and, if the chain is broken, the first failure.
 *
 * @param blocksVerified number of blocks (from the start of the input) that passed every check
 * @param tip anchor for the last verified block (the input anchor if none passed; empty if there was neither)
 * @param failure the first failure, empty when the whole sequence verified
 */
public record ChainVerification(int blocksVerified, Optional<ChainAnchor> tip, Optional<Failure> failure) {

    public ChainVerification {
        Objects.requireNonNull(tip, "tip");
        Objects.requireNonNull(failure, "failure");
    }

    public boolean valid() {
        return failure.isEmpty();
    }

    /** Which check failed. */
    public enum Check {
        /** The block has no header (or the list holds a null). */
        MISSING_HEADER,
        /** The block number is not the predecessor's number plus one. */
        NUMBER,
        /** The header's data_hash is not SHA-256 of the concatenated data entries. */
        DATA_HASH,
        /** The header's previous_hash is not the header hash of the predecessor. */
        PREVIOUS_HASH
    }

    /**
     * The first failed check.
     *
     * @param position index of the offending block in the verified list
     * @param blockNumber number the offending block claims (unsigned; -1 i.e. max when it has no header)
     * @param check which check failed
     * @param expected what the check required (lower-case hex for hashes, decimal for numbers)
     * @param actual what the block holds, in the same form
     */
    public record Failure(int position, long blockNumber, Check check, String expected, String actual) {

        public Failure {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        /** One line naming the block, the check and both values. */
        public String message() {
            return "block " + Long.toUnsignedString(blockNumber) + " (position " + position + "): " + check
                    + " mismatch, expected " + (expected.isEmpty() ? "<empty>" : expected)
                    + " but was " + (actual.isEmpty() ? "<empty>" : actual);
        }
    }
}
