package io.sandbox.core.evidence;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link BundleVerifier} checked: one line per passed check and, if the bundle is not sound, the first failure.
 *
 * @param verified        the checks that passed, in order, as sentences
 * @param failure         the exact reason of the first failure, empty when the bundle verified
 * @param files           files whose SHA-256 matched
 * @param blocks          blocks whose hashes and links verified
 * @param transactions    transactions matched between the blocks, the CSV and the JSON
 * @param lastHeaderHash  header hash (hex) of the last verified block, empty if none
 * @param rootFingerprint SHA-256 (hex) of the signing root certificate, empty if the signature did not verify
 */
public record BundleVerification(List<String> verified, Optional<String> failure, int files, long blocks,
        long transactions, String lastHeaderHash, String rootFingerprint) {

    public BundleVerification {
        verified = List.copyOf(verified);
        Objects.requireNonNull(failure, "failure");
    }

    /** Whether every check passed. */
    public boolean valid() {
        return failure.isEmpty();
    }
}
