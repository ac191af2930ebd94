package io.sandbox.core.fabric.block;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.Payload;

/** What a block says about its channel's config: where the current config block is, and the config it carries. */
public final class ConfigBlocks {

    private ConfigBlocks() {
    }

    /**
     * {@code protoutil.GetLastConfigIndexFromBlock}: the number of the config block in force at {@code block}, from the
     * SIGNATURES metadata's {@code last_config} (the pre-2.0 LAST_CONFIG slot when that is absent); block 0 is its own.
     *
     * @throws IllegalArgumentException when the block carries neither
     */
    public static long lastConfigIndex(Block block) {
        if (block.getHeader().getNumber() == 0) {
            return 0;
        }
        try {
            Metadata signatures = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
            OrdererBlockMetadata ordererMetadata = OrdererBlockMetadata.parseFrom(signatures.getValue());
            if (ordererMetadata.hasLastConfig()) {
                return ordererMetadata.getLastConfig().getIndex();
            }
            Metadata lastConfig = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE));
            return LastConfig.parseFrom(lastConfig.getValue()).getIndex();
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " has no last config index", e);
        }
    }

    /**
     * The config a config block carries.
     *
     * @throws IllegalArgumentException when it is not a config block
     */
    public static Config config(Block configBlock) {
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(configBlock.getData().getData(0)).getPayload());
            return ConfigEnvelope.parseFrom(payload.getData()).getConfig();
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a config block: " + e.getMessage(), e);
        }
    }
}
