package io.sandbox.devnet.peer.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;

/**
 * A chaincode definition committed on a channel by {@code _lifecycle} (Fabric's {@code lifecycle.ChaincodeDefinition}
 * flattened): the sequence, the endorsement info (version, endorsement plugin, init required), the validation
 * info (validation plugin and its parameter, for {@code vscc} a marshalled {@code ApplicationPolicy}) and the
 * collections.
 */
public record ChaincodeDefinition(String name, long sequence, String version, String endorsementPlugin,
        String validationPlugin, ByteString validationParameter, boolean initRequired,
        CollectionConfigPackage collections) {

    public ChaincodeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(endorsementPlugin, "endorsementPlugin");
        Objects.requireNonNull(validationPlugin, "validationPlugin");
        Objects.requireNonNull(validationParameter, "validationParameter");
        collections = collections == null ? CollectionConfigPackage.getDefaultInstance() : collections;
    }

    /**
     * The endorsement policy: the validation parameter as an {@code ApplicationPolicy} (a channel policy
     * reference such as {@code /Channel/Application/Endorsement}, or a signature policy).
     *
     * @throws IllegalStateException if the parameter is not an {@code ApplicationPolicy}
     */
    public ApplicationPolicy endorsementPolicy() {
        try {
            return ApplicationPolicy.parseFrom(validationParameter);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("validation parameter of chaincode " + name
                    + " is not an ApplicationPolicy: " + e.getMessage(), e);
        }
    }

    /** The channel policy the definition's endorsement policy refers to, if it is a reference. */
    public Optional<String> endorsementPolicyReference() {
        ApplicationPolicy policy = endorsementPolicy();
        return policy.getTypeCase() == ApplicationPolicy.TypeCase.CHANNEL_CONFIG_POLICY_REFERENCE
                ? Optional.of(policy.getChannelConfigPolicyReference())
                : Optional.empty();
    }
}
