package io.sandbox.core.fabric.admin;

import java.util.Objects;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;

/**
 * A chaincode definition as organisations approve and commit it.
 *
 * @param name              chaincode name
 * @param version           version label
 * @param sequence          definition sequence (1 for the first definition)
 * @param endorsementPolicy the validation parameter; {@code null} for the channel's default
 *                          ({@code /Channel/Application/Endorsement}), as the CLI without {@code --signature-policy}
 * @param collections       private data collections; {@code null} for none
 * @param initRequired      whether {@code Init} must be invoked first
 */
public record ChaincodeDefinition(String name, String version, long sequence, ApplicationPolicy endorsementPolicy,
        CollectionConfigPackage collections, boolean initRequired) {

    /** Checks for nulls and a positive sequence. */
    public ChaincodeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be positive: " + sequence);
        }
    }

    /** A definition with the channel's default endorsement policy, no collections and no init. */
    public static ChaincodeDefinition of(String name, String version, long sequence) {
        return new ChaincodeDefinition(name, version, sequence, null, null, false);
    }
}
