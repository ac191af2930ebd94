package io.sandbox.devnet.peer.validation;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the endorsement policy of a namespace (chaincode name), as the v20 plugin dispatcher's
 * {@code GetInfoForValidate} does from the chaincode definitions. An empty answer means the chaincode is not
 * defined on the channel: the transaction is then {@code INVALID_CHAINCODE}.
 *
 * <p>The {@code _lifecycle} engineer supplies the real implementation (from committed chaincode definitions);
 * until then {@link #channelDefault()} gives every chaincode the channel's default policy.
 */
@FunctionalInterface
public interface EndorsementPolicies {

    /** Fabric's default for chaincode definitions without an explicit policy. */
    String DEFAULT_ENDORSEMENT = "/Channel/Application/Endorsement";

    /** The policy {@code _lifecycle} writes are validated with. */
    String LIFECYCLE_ENDORSEMENT = "/Channel/Application/LifecycleEndorsement";

    /** The policy for a namespace, or empty when no such chaincode is defined. */
    Optional<EndorsementPolicy> forNamespace(String namespace);

    /**
     * Every namespace gets {@code /Channel/Application/Endorsement}, except {@code _lifecycle}, which gets
     * {@code /Channel/Application/LifecycleEndorsement}.
     */
    static EndorsementPolicies channelDefault() {
        return withOverrides(Map.of());
    }

    /** Named overrides over {@link #channelDefault()}. */
    static EndorsementPolicies withOverrides(Map<String, EndorsementPolicy> overrides) {
        Map<String, EndorsementPolicy> copy = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        EndorsementPolicy standard = EndorsementPolicy.channelPolicy(DEFAULT_ENDORSEMENT);
        EndorsementPolicy lifecycle = EndorsementPolicy.channelPolicy(LIFECYCLE_ENDORSEMENT);
        return namespace -> Optional.of(copy.getOrDefault(namespace,
                "_lifecycle".equals(namespace) ? lifecycle : standard));
    }
}
