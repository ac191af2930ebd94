package io.sandbox.dashboard.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.TestBlocks;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.Test;

class IntegrityCheckTest {

    private final BlockDecoder decoder = new BlockDecoder(null);
    private final List<DecodedBlock> chain = TestBlocks.chain("i", 3, 1).stream()
            .map(b -> decoder.decode("c", b)).toList();

    @Test
    void blockZeroFollowsAnEmptyCheckpointAndEachBlockItsPredecessor() {
        assertThat(IngestStore.verify(chain.get(0), -1, new byte[0])).isNull();
        assertThat(IngestStore.verify(chain.get(1), 0, chain.get(0).headerHash())).isNull();
        assertThat(IngestStore.verify(chain.get(2), 1, chain.get(1).headerHash())).isNull();
    }

    @Test
    void brokenPreviousHashLinkIsRefused() {
        assertThat(IngestStore.verify(chain.get(2), 1, chain.get(0).headerHash()))
                .contains("previous hash").contains("block 1");
    }

    @Test
    void gapIsRefused() {
        assertThat(IngestStore.verify(chain.get(2), 0, chain.get(0).headerHash()))
                .isEqualTo("Block 2 arrived where block 1 was expected.");
    }

    @Test
    void tamperedDataIsRefused() {
        Block original = TestBlocks.chain("i", 1, 1).getFirst();
        Block tampered = original.toBuilder().setData(original.getData().toBuilder()
                .setData(0, TestBlocks.onboarding("i-0-0", "cust-mallory").toByteString())).build();
        assertThat(IngestStore.verify(decoder.decode("c", tampered), -1, new byte[0])).contains("data hash");
    }
}
