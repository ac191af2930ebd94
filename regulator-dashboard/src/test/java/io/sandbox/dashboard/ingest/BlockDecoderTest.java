package io.sandbox.dashboard.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

class BlockDecoderTest {

    private final BlockDecoder decoder = new BlockDecoder(new byte[32]);

    @Test
    void endorserTransactionIsDecodedIntoAllItsFields() {
        Block block = TestBlocks.block(null, List.of(TestBlocks.onboarding("tx-1", "cust-alice").toByteString()),
                List.of(TxValidationCode.VALID));

        DecodedBlock decoded = decoder.decode("sandbox-acme", block);

        assertThat(decoded.number()).isZero();
        assertThat(decoded.dataHashMatches()).isTrue();
        assertThat(decoded.headerHash()).isEqualTo(BlockHashes.headerHash(block.getHeader()));
        assertThat(decoded.previousHash()).isEmpty();
        DecodedTransaction tx = decoded.transactions().getFirst();
        assertThat(tx.txId()).isEqualTo("tx-1");
        assertThat(tx.timestamp()).isEqualTo(Instant.parse("2026-03-01T09:30:00.123456Z"));
        assertThat(tx.headerType()).isEqualTo("ENDORSER_TRANSACTION");
        assertThat(tx.creatorMsp()).isEqualTo("AcmeMSP");
        assertThat(tx.creatorSubject()).contains("CN=").contains("O=");
        assertThat(tx.endorserMsps()).containsExactly("AcmeMSP", "RegulatorMSP");
        assertThat(tx.chaincode()).isEqualTo("sandbox");
        assertThat(tx.function()).isEqualTo("onboardCustomer");
        assertThat(tx.reads()).containsExactly(Map.entry("sandbox", List.of("\u2400customer\u2400cust-alice\u2400")));
        assertThat(tx.writes()).containsExactly(Map.entry("sandbox", List.of("\u2400customer\u2400cust-alice\u2400")));
        assertThat(tx.validationCode()).isEqualTo("VALID");
        assertThat(tx.valid()).isTrue();
        assertThat(tx.eventName()).isEqualTo("sandbox.v1");
        assertThat(tx.reportingEvents()).isEqualTo("[" + TestBlocks.onboardedEvent("cust-alice", "tx-1") + "]");
        assertThat(tx.decodeError()).isNull();
    }

    @Test
    void argumentsAreKeptOnlyAsKeyedDigestsThatCompareEqualForEqualValues() {
        Block block = TestBlocks.block(null, List.of(TestBlocks.onboarding("tx-1", "cust-alice").toByteString(),
                TestBlocks.onboarding("tx-2", "cust-alice").toByteString(),
                TestBlocks.onboarding("tx-3", "cust-bob").toByteString()),
                List.of(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.VALID));

        List<DecodedTransaction> txs = decoder.decode("c", block).transactions();

        assertThat(txs.get(0).argDigests()).hasSize(3).allMatch(d -> d.matches("[0-9a-f]{64}"))
                .doesNotContain("cust-alice", "DE", "LOW");
        assertThat(txs.get(1).argDigests()).isEqualTo(txs.get(0).argDigests());
        assertThat(txs.get(2).argDigests().getFirst()).isNotEqualTo(txs.get(0).argDigests().getFirst());
        assertThat(new BlockDecoder(new byte[] {1}).decode("c", block).transactions().getFirst().argDigests())
                .isNotEqualTo(txs.get(0).argDigests());
        assertThat(new BlockDecoder(null).decode("c", block).transactions().getFirst().argDigests()).isNull();
        assertThat(txs).extracting(DecodedTransaction::validationCode)
                .containsExactly("VALID", "MVCC_READ_CONFLICT", "VALID");
    }

    @Test
    void configTransactionIsRecordedWithTypeAndCreatorOnly() {
        Block block = TestBlocks.block(null, List.of(TestBlocks.envelope(HeaderType.CONFIG, "", "OrdererMSP",
                ByteString.copyFromUtf8("config")).toByteString()), List.of(TxValidationCode.VALID));

        DecodedTransaction tx = decoder.decode("c", block).transactions().getFirst();

        assertThat(tx.headerType()).isEqualTo("CONFIG");
        assertThat(tx.creatorMsp()).isEqualTo("OrdererMSP");
        assertThat(tx.chaincode()).isNull();
        assertThat(tx.function()).isNull();
        assertThat(tx.decodeError()).isNull();
    }

    @Test
    void malformedEnvelopeIsKeptWithADecodeErrorNextToGoodOnes() {
        Block block = TestBlocks.block(null, List.of(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01, 0x02}),
                TestBlocks.envelope(HeaderType.ENDORSER_TRANSACTION, "tx-bad", "AcmeMSP",
                        ByteString.copyFromUtf8("not a transaction")).toByteString(),
                TestBlocks.onboarding("tx-good", "cust-carol").toByteString()), List.of(TxValidationCode.VALID));

        List<DecodedTransaction> txs = decoder.decode("c", block).transactions();

        assertThat(txs).hasSize(3);
        assertThat(txs.get(0).txId()).isNull();
        assertThat(txs.get(0).decodeError()).isNotBlank();
        assertThat(txs.get(1).txId()).isEqualTo("tx-bad");
        assertThat(txs.get(1).creatorMsp()).isEqualTo("AcmeMSP");
        assertThat(txs.get(1).decodeError()).isNotBlank();
        assertThat(txs.get(1).validationCode()).isNull();
        assertThat(txs.get(1).decodeError()).contains("no validation code");
        assertThat(txs.get(2).function()).isEqualTo("onboardCustomer");
        assertThat(txs.get(2).decodeError()).contains("no validation code");
    }

    @Test
    void eventOutsideTheReportingSchemaIsNamedButNotParsed() {
        Block block = TestBlocks.block(null, List.of(TestBlocks.endorserTransaction("tx-1", "other", List.of("put", "k"),
                Map.of(), Map.of("other", List.of("k")), "custom", "{\"a\":1}", List.of("AcmeMSP")).toByteString()),
                List.of(TxValidationCode.VALID));

        DecodedTransaction tx = decoder.decode("c", block).transactions().getFirst();

        assertThat(tx.eventName()).isEqualTo("custom");
        assertThat(tx.reportingEvents()).isNull();
        assertThat(tx.reads()).isNull();
        assertThat(tx.writes()).containsOnlyKeys("other");
        assertThat(tx.decodeError()).isNull();
    }

    @Test
    void tamperedDataIsDetectedByTheDataHash() {
        Block block = TestBlocks.chain("t", 1, 2).getFirst();
        Block tampered = block.toBuilder().setData(block.getData().toBuilder()
                .setData(1, TestBlocks.onboarding("t-0-1", "cust-mallory").toByteString())).build();

        assertThat(decoder.decode("c", block).dataHashMatches()).isTrue();
        assertThat(decoder.decode("c", tampered).dataHashMatches()).isFalse();
    }
}
