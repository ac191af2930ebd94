package io.sandbox.devnet.peer.validation;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import java.util.List;
import java.util.Objects;

/**
 * A chaincode's endorsement policy, evaluated over the endorsements' signed data (each endorser's signature over
 * {@code proposal_response_payload ‖ endorser}, as the v20 built-in validation plugin builds them).
 * Implementations must verify signatures and count each identity once, as {@link ChannelPolicies#evaluate} does.
 */
public interface EndorsementPolicy {

    /** Evaluates the policy on the channel. */
    PolicyResult evaluate(ChannelPolicies channel, List<SignedData> endorsements);

    /**
     * Whether endorsements by these endorsers (serialized identities) would satisfy the policy, signatures
     * unchecked: the gateway's endorsement plan, never a validation.
     */
    PolicyResult evaluateEndorsers(ChannelPolicies channel, List<ByteString> endorsers);

    /** A policy the devnet cannot evaluate: never satisfied, for this reason. */
    static EndorsementPolicy refusing(String reason) {
        Objects.requireNonNull(reason, "reason");
        return new EndorsementPolicy() {
            @Override
            public PolicyResult evaluate(ChannelPolicies channel, List<SignedData> endorsements) {
                return new PolicyResult(false, reason);
            }

            @Override
            public PolicyResult evaluateEndorsers(ChannelPolicies channel, List<ByteString> endorsers) {
                return new PolicyResult(false, reason);
            }
        };
    }

    /** A channel policy reference, e.g. {@code /Channel/Application/Endorsement} (a chaincode definition's
     *  {@code ApplicationPolicy.channel_config_policy_reference}). */
    static EndorsementPolicy channelPolicy(String policyPath) {
        Objects.requireNonNull(policyPath, "policyPath");
        return new EndorsementPolicy() {
            @Override
            public PolicyResult evaluate(ChannelPolicies channel, List<SignedData> endorsements) {
                return channel.evaluate(policyPath, endorsements);
            }

            @Override
            public PolicyResult evaluateEndorsers(ChannelPolicies channel, List<ByteString> endorsers) {
                return channel.evaluateIdentities(policyPath, endorsers);
            }

            @Override
            public String toString() {
                return policyPath;
            }
        };
    }
}
