package io.sandbox.devnet.orderer;

import io.sandbox.core.fabric.channel.GoDuration;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;
import org.hyperledger.fabric.protos.orderer.etcdraft.ConfigMetadata;
import org.hyperledger.fabric.protos.orderer.etcdraft.Consenter;

/**
 * What the orderer reads from a channel's config block: the channel id, the orderer values that drive block
 * cutting, and the etcdraft consenter set.
 */
record ChannelConfigView(String channelId, long sequence, BatchSize batchSize, Duration batchTimeout,
        String consensusType, List<X509Certificate> consenterServerCerts) {

    static final Pattern CHANNEL_ID = Pattern.compile("[a-z][a-z0-9.-]*");
    static final int MAX_CHANNEL_ID = 249;

    /** {@code protoutil.IsConfigBlock}: exactly one envelope whose channel header type is CONFIG. */
    static boolean isConfigBlock(Block block) {
        if (!block.hasData() || block.getData().getDataCount() != 1) {
            return false;
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                return false;
            }
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getType() == HeaderType.CONFIG_VALUE;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** Parses a config block; {@link IllegalArgumentException} with a Fabric-like message when it is unusable. */
    static ChannelConfigView of(Block block) {
        if (!isConfigBlock(block)) {
            throw new IllegalArgumentException("block is not a config block");
        }
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(payload.getData());
            if (!configEnvelope.hasConfig() || !configEnvelope.getConfig().hasChannelGroup()) {
                throw new IllegalArgumentException("nil channel group");
            }
            return of(header.getChannelId(), configEnvelope.getConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("error unmarshalling config: " + e.getMessage(), e);
        }
    }

    /** Reads a channel's config; {@link IllegalArgumentException} with a Fabric-like message when it is unusable. */
    static ChannelConfigView of(String channelId, Config config) {
        try {
            String problem = channelIdProblem(channelId);
            if (problem != null) {
                throw new IllegalArgumentException("bad channel ID: " + problem);
            }
            ConfigGroup channel = config.getChannelGroup();
            ConfigGroup orderer = channel.getGroupsMap().get("Orderer");
            if (orderer == null) {
                throw new IllegalArgumentException("config does not contain an Orderer group");
            }
            if (!channel.getGroupsMap().containsKey("Application")) {
                throw new IllegalArgumentException("invalid config: must have at least one of application or consortiums");
            }
            BatchSize batchSize = BatchSize.parseFrom(value(orderer, "BatchSize").toByteArray());
            BatchTimeout timeout = BatchTimeout.parseFrom(value(orderer, "BatchTimeout").toByteArray());
            ConsensusType consensus = ConsensusType.parseFrom(value(orderer, "ConsensusType").toByteArray());
            if (batchSize.getMaxMessageCount() == 0) {
                throw new IllegalArgumentException("attempted to set the batch size max message count to an invalid value: 0");
            }
            if (batchSize.getAbsoluteMaxBytes() == 0) {
                throw new IllegalArgumentException("attempted to set the batch size absolute max bytes to an invalid value: 0");
            }
            if (batchSize.getPreferredMaxBytes() == 0) {
                throw new IllegalArgumentException("attempted to set the batch size preferred max bytes to an invalid value: 0");
            }
            if (Integer.compareUnsigned(batchSize.getPreferredMaxBytes(), batchSize.getAbsoluteMaxBytes()) > 0) {
                throw new IllegalArgumentException("attempted to set the batch size preferred max bytes ("
                        + Integer.toUnsignedString(batchSize.getPreferredMaxBytes())
                        + ") greater than the absolute max bytes (" + Integer.toUnsignedString(batchSize.getAbsoluteMaxBytes()) + ").");
            }
            Duration batchTimeout = GoDuration.parse(timeout.getTimeout());
            if (batchTimeout.isZero() || batchTimeout.isNegative()) {
                throw new IllegalArgumentException("attempted to set the batch timeout to a non-positive value: " + timeout.getTimeout());
            }
            List<X509Certificate> consenters = new ArrayList<>();
            if ("etcdraft".equals(consensus.getType())) {
                ConfigMetadata metadata = ConfigMetadata.parseFrom(consensus.getMetadata());
                for (Consenter consenter : metadata.getConsentersList()) {
                    X509Certificate cert = certificate(consenter.getServerTlsCert().toByteArray());
                    if (cert != null) {
                        consenters.add(cert);
                    }
                }
            }
            return new ChannelConfigView(channelId, config.getSequence(), batchSize, batchTimeout, consensus.getType(),
                    List.copyOf(consenters));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("error unmarshalling config: " + e.getMessage(), e);
        }
    }

    private static com.google.protobuf.ByteString value(ConfigGroup group, String key) {
        var value = group.getValuesMap().get(key);
        if (value == null) {
            throw new IllegalArgumentException("config does not contain value /Channel/Orderer/" + key);
        }
        return value.getValue();
    }

    /** {@code configtx.ValidateChannelID}'s message for a bad id, or null. */
    static String channelIdProblem(String channelId) {
        if (channelId == null || channelId.isEmpty()) {
            return "channel ID illegal, cannot be empty";
        }
        if (channelId.length() > MAX_CHANNEL_ID) {
            return "channel ID illegal, cannot be longer than " + MAX_CHANNEL_ID;
        }
        if (!CHANNEL_ID.matcher(channelId).matches()) {
            return "'" + channelId + "' contains illegal characters";
        }
        return null;
    }

    private static X509Certificate certificate(byte[] pemOrDer) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pemOrDer));
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }

}
