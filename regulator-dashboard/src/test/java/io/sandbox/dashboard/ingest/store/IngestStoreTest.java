package io.sandbox.dashboard.ingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.dashboard.ingest.TestBlocks;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store against the real PostgreSQL: exactly-once rows with the checkpoint, and halting on tampered blocks. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class IngestStoreTest {

    @Inject
    AgroalDataSource dataSource;

    private IngestStore store;
    private String channel;
    private final BlockDecoder decoder = new BlockDecoder(new byte[32]);

    @BeforeEach
    void newChannel() {
        store = new IngestStore(dataSource);
        channel = "test-" + UUID.randomUUID();
    }

    @Test
    void blocksAreStoredOnceWithTheCheckpointAndRedeliveryIsSkipped() throws SQLException {
        List<DecodedBlock> chain = decode(TestBlocks.chain(channel, 4, 3));

        IngestResult first = store.ingest(channel, chain.subList(0, 3));
        IngestResult again = store.ingest(channel, chain.subList(1, 4));

        assertThat(first.blocks()).isEqualTo(3);
        assertThat(first.transactions()).isEqualTo(9);
        assertThat(again.blocks()).isEqualTo(1);
        Checkpoint checkpoint = store.checkpoint(channel);
        assertThat(checkpoint.lastBlock()).isEqualTo(3);
        assertThat(checkpoint.lastHeaderHash()).isEqualTo(chain.get(3).headerHash());
        assertThat(checkpoint.txCount()).isEqualTo(12);
        assertThat(count("select count(*) from ledger_block where channel = ?")).isEqualTo(4);
        assertThat(count("select count(*) from ledger_transaction where channel = ?")).isEqualTo(12);
        assertThat(count("select count(*) from ledger_transaction where channel = ? and creator_msp = 'AcmeMSP' "
                + "and reporting_events -> 0 ->> 'type' = 'CUSTOMER_ONBOARDED' and array_length(arg_digests, 1) = 3"))
                .isEqualTo(12);
    }

    @Test
    void tamperedBlockHaltsTheChannelRaisesAnAlertAndKeepsTheBlocksBefore() throws SQLException {
        List<Block> blocks = TestBlocks.chain(channel, 3, 2);
        Block tampered = blocks.get(2).toBuilder().setData(blocks.get(2).getData().toBuilder()
                .setData(0, TestBlocks.onboarding("forged", "cust-mallory").toByteString())).build();

        IngestResult result = store.ingest(channel, List.of(decoder.decode(channel, blocks.get(0)),
                decoder.decode(channel, blocks.get(1)), decoder.decode(channel, tampered)));

        assertThat(result.halted()).isTrue();
        assertThat(result.blocks()).isEqualTo(2);
        Checkpoint checkpoint = store.checkpoint(channel);
        assertThat(checkpoint.status()).isEqualTo(Checkpoint.HALTED);
        assertThat(checkpoint.lastBlock()).isEqualTo(1);
        assertThat(checkpoint.haltReason()).contains("data hash");
        assertThat(count("select count(*) from alert where channel = ? and kind = 'INTEGRITY' and block_number = 2"))
                .isEqualTo(1);
        IngestResult later = store.ingest(channel, List.of(decoder.decode(channel, blocks.get(2))));
        assertThat(later.blocks()).isZero();
        assertThat(later.halted()).isTrue();
        assertThat(count("select count(*) from ledger_block where channel = ?")).isEqualTo(2);
    }

    @Test
    void blockNotLinkedToTheCheckpointHaltsTheChannel() throws SQLException {
        List<DecodedBlock> mine = decode(TestBlocks.chain(channel, 2, 1));
        List<DecodedBlock> other = decode(TestBlocks.chain("other-" + channel, 2, 1));
        store.ingest(channel, List.of(mine.get(0)));

        IngestResult result = store.ingest(channel, List.of(new DecodedBlock(channel, 1, other.get(1).headerHash(),
                other.get(1).previousHash(), other.get(1).dataHash(), true, other.get(1).transactions())));

        assertThat(result.halted()).isTrue();
        assertThat(store.checkpoint(channel).haltReason()).contains("previous hash");
        assertThat(count("select count(*) from alert where channel = ? and kind = 'INTEGRITY'")).isEqualTo(1);
    }

    private List<DecodedBlock> decode(List<Block> blocks) {
        return blocks.stream().map(b -> decoder.decode(channel, b)).toList();
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, channel);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
