package io.sandbox.devnet.orderer;

import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import org.hyperledger.fabric.protos.common.Block;

/** The test fixtures' genesis block with chosen batch settings (bench only). */
public final class BenchGenesis {

    private BenchGenesis() {
    }

    public static Block genesis(String channelId, BatchSettings batch) {
        return Fixtures.genesis(channelId, batch);
    }
}
