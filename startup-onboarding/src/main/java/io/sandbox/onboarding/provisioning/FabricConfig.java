package io.sandbox.onboarding.provisioning;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Fabric network new startups are provisioned on. All three set, or provisioning waits for a network (requests
 * are still accepted and kept as {@link ProvisioningStatus#WAITING_FOR_NETWORK}).
 */
@ConfigMapping(prefix = "sandbox.fabric")
public interface FabricConfig {

    /** The network profile file ({@code SANDBOX_FABRIC_PROFILE}), keys sealed by the master key. */
    Optional<Path> profile();

    /** The Base64 master secret of the key vault ({@code SANDBOX_FABRIC_MASTER_KEY}); seals stored keys too. */
    Optional<String> masterKey();

    /** The sandbox chaincode's CCaaS package file ({@code SANDBOX_FABRIC_CHAINCODE_PACKAGE}). */
    Optional<Path> chaincodePackage();

    /** Whether all three settings are present. */
    default boolean configured() {
        return profile().isPresent() && masterKey().isPresent() && chaincodePackage().isPresent();
    }
}
