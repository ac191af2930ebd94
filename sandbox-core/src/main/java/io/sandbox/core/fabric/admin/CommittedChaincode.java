package io.sandbox.core.fabric.admin;

import java.util.Map;
import java.util.Objects;

/**
 * A chaincode definition committed on a channel ({@code _lifecycle QueryChaincodeDefinition}).
 *
 * @param name         chaincode name
 * @param version      version label
 * @param sequence     definition sequence
 * @param initRequired whether {@code Init} must be invoked first
 * @param approvals    per MSP id, whether the organisation approved this definition
 */
public record CommittedChaincode(String name, String version, long sequence, boolean initRequired,
        Map<String, Boolean> approvals) {

    /** Checks for nulls; copies the map. */
    public CommittedChaincode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        approvals = Map.copyOf(Objects.requireNonNull(approvals, "approvals"));
    }
}
