package io.sandbox.core.fabric.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;

/**
 * The MSPs and policies of one channel, from its config ({@code common.Config}), evaluated as Fabric 2.5 does
 * ({@code msp/mspimpl*.go}, {@code common/cauthdsl}, {@code common/policies}). Immutable; thread-safe.
 *
 * <p>One deliberate difference from Fabric's MSP: {@link #validate} and principal matching also require every
 * certificate of the chain to be within its validity period at the clock's current instant. Fabric's MSP itself
 * verifies chains at the leaf's notBefore (FAB-3678) and leaves expiry to the callers (orderer broadcast's
 * expiration rule, the peer's creator checks, deliver sessions); a sandbox node gets that check here for free.
 */
public interface ChannelPolicies {

    /** From a config without its channel id ({@link #channelId()} is then empty), with the system clock. */
    static ChannelPolicies fromConfig(Config config) {
        return fromConfig("", config, Clock.systemUTC());
    }

    /** From a config, naming its channel, with the system clock. */
    static ChannelPolicies fromConfig(String channelId, Config config) {
        return fromConfig(channelId, config, Clock.systemUTC());
    }

    /**
     * From a config; {@code clock} decides certificate expiry.
     *
     * @throws IllegalArgumentException if the config is malformed (unparsable MSP or policy values, an MSP that
     *                                  is not an X.509 Fabric MSP, conflicting definitions of one MSP id)
     */
    static ChannelPolicies fromConfig(String channelId, Config config, Clock clock) {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new ConfigChannelPolicies(channelId, config, clock);
    }

    /** From a config block (envelope, payload, {@code ConfigEnvelope}), with the system clock. */
    static ChannelPolicies fromConfigBlock(Block block) {
        return fromConfigBlock(block, Clock.systemUTC());
    }

    /** From a config block; {@code clock} decides certificate expiry. */
    static ChannelPolicies fromConfigBlock(Block block, Clock clock) {
        Objects.requireNonNull(block, "block");
        if (block.getData().getDataCount() != 1) {
            throw new IllegalArgumentException(
                    "a config block holds exactly one envelope, this one holds " + block.getData().getDataCount());
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (header.getType() != HeaderType.CONFIG_VALUE) {
                throw new IllegalArgumentException("block " + block.getHeader().getNumber()
                        + " is not a config block: its envelope has header type " + header.getType());
            }
            ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(payload.getData());
            if (!configEnvelope.hasConfig()) {
                throw new IllegalArgumentException("config envelope of block " + block.getHeader().getNumber()
                        + " has no config");
            }
            return fromConfig(header.getChannelId(), configEnvelope.getConfig(), clock);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("block " + block.getHeader().getNumber()
                    + " is not a well-formed config block: " + e.getMessage(), e);
        }
    }

    /** The channel id, or empty when built from a bare config. */
    String channelId();

    /**
     * The config these policies were read from.
     *
     * @throws UnsupportedOperationException for an implementation that was not read from a config
     */
    default Config config() {
        throw new UnsupportedOperationException("these channel policies carry no config");
    }

    /**
     * Validates a serialized identity against the channel's MSPs: known MSP id, certificate chains to that MSP's
     * root (or intermediate) CA, within validity, not revoked, NodeOU role resolved.
     *
     * @throws IdentityException saying why not
     */
    ValidatedIdentity validate(ByteString serializedIdentity) throws IdentityException;

    /**
     * Evaluates the policy at an absolute path ({@code /Channel/...}; paths relative to {@code /Channel} are
     * accepted too, as Fabric's root policy manager does). Signatures are verified (ECDSA over the SHA-256 of the
     * data, high S rejected); each identity counts once; an invalid identity or signature simply does not
     * satisfy any principal. An unknown path is never satisfied.
     */
    PolicyResult evaluate(String policyPath, List<SignedData> signatures);

    /**
     * Whether signatures by these identities would satisfy the policy, verifying no signature: what the gateway's
     * endorsement plan (discovery's layouts) decides from the endorsers alone. For planning only: a validation
     * must use {@link #evaluate}.
     */
    PolicyResult evaluateIdentities(String policyPath, List<ByteString> identities);

    /**
     * Resolves a channel ACL resource name ({@code event/Block}, {@code peer/Propose}, ...) to its policy path:
     * the channel's {@code ACLs} value (a relative policy ref is prefixed with {@code /Channel/Application/}),
     * else Fabric's default ({@code core/aclmgmt/defaultaclprovider.go}).
     *
     * @throws IllegalArgumentException for a peer-local resource (checked against the peer's local MSP, never
     *                                  a channel policy) or a resource Fabric has no policy for
     */
    String aclPolicy(String resource);

    /** The MSP ids of the channel (orderer and application organisations). */
    java.util.Set<String> mspIds();

    /** Whether a policy exists at this path. */
    boolean hasPolicy(String policyPath);
}
