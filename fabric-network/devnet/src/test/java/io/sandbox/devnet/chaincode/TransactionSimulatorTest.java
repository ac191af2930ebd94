package io.sandbox.devnet.chaincode;

import io.sandbox.devnet.peer.state.Version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.junit.jupiter.api.Test;

class TransactionSimulatorTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void buildsASortedKvRwsetAsFabric() throws Exception {
        InMemoryState state = new InMemoryState()
                .put("cc", "b", b("B"), new Version(4, 2))
                .put("cc", "a", b("A"), new Version(1, 0));
        TransactionSimulator sim = new TransactionSimulator(state, "tx1");
        sim.setState("cc", "z", b("1"));
        sim.setState("cc", "b", b("new"));
        assertThat(sim.getState("cc", "b")).as("own writes are not visible").isEqualTo(b("B"));
        assertThat(sim.getState("cc", "missing")).isNull();
        sim.getState("cc", "b");
        sim.deleteState("cc", "a");
        sim.setState("cc", "empty", new byte[0]);
        sim.setState("abc", "k", b("v"));
        sim.setStateMetadata("cc", "b", Map.of("Z", b("z"), "A", b("a")));
        sim.setState("cc", "\uD83D\uDE00", b("astral")); // U+1F600 sorts after U+FFFD in UTF-8 order
        sim.setState("cc", "\uFFFD", b("bmp"));

        TxReadWriteSet rwset = sim.results();
        assertThat(rwset.getDataModel()).isEqualTo(TxReadWriteSet.DataModel.KV);
        assertThat(rwset.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly("abc", "cc");
        KVRWSet kv = KVRWSet.parseFrom(rwset.getNsRwset(1).getRwset());
        assertThat(kv.getReadsList()).containsExactly(
                KVRead.newBuilder().setKey("b").setVersion(new Version(4, 2).toProto()).build(),
                KVRead.newBuilder().setKey("missing").build());
        assertThat(kv.getWritesList()).extracting(KVWrite::getKey)
                .containsExactly("a", "b", "empty", "z", "\uFFFD", "\uD83D\uDE00");
        assertThat(kv.getWrites(0).getIsDelete()).isTrue();
        assertThat(kv.getWrites(2).getIsDelete()).as("an empty value is a delete").isTrue();
        assertThat(kv.getWrites(1).getValue().toStringUtf8()).isEqualTo("new");
        assertThat(kv.getMetadataWrites(0).getEntriesList()).extracting(e -> e.getName()).containsExactly("A", "Z");

        assertThatThrownBy(() -> sim.getState("cc", "a")).hasMessageContaining("after calling Done()");
        assertThatThrownBy(sim::results).hasMessageContaining("only be called once");
    }

    @Test
    void rangeScansRecordQueryInfoInOrderOpened() throws Exception {
        InMemoryState state = new InMemoryState();
        for (String k : new String[] {"a", "b", "c", "d"}) {
            state.put("cc", k, b(k), new Version(2, k.charAt(0) - 'a'));
        }
        TransactionSimulator sim = new TransactionSimulator(state, "tx");
        TransactionSimulator.RangeScan second = sim.rangeScan("cc", "b", "", 0);
        TransactionSimulator.RangeScan first = sim.rangeScan("cc", "a", "c", 0);
        while (first.next() != null) {
            // exhaust
        }
        assertThat(second.next().key()).isEqualTo("b");
        TransactionSimulator.RangeScan empty = sim.rangeScan("cc", "x", "y", 0);
        empty.close();
        KVRWSet kv = KVRWSet.parseFrom(sim.results().getNsRwset(0).getRwset());
        assertThat(kv.getRangeQueriesInfoList()).hasSize(3);
        RangeQueryInfo open = kv.getRangeQueriesInfo(0);
        assertThat(open.getStartKey()).isEqualTo("b");
        assertThat(open.getEndKey()).isEqualTo("b");
        assertThat(open.getItrExhausted()).isFalse();
        RangeQueryInfo exhausted = kv.getRangeQueriesInfo(1);
        assertThat(exhausted.getEndKey()).isEqualTo("c");
        assertThat(exhausted.getItrExhausted()).isTrue();
        assertThat(exhausted.getRawReads().getKvReadsList()).extracting(KVRead::getKey).containsExactly("a", "b");
        assertThat(exhausted.getRawReads().getKvReads(1).getVersion().getTxNum()).isEqualTo(1);
        assertThat(kv.getRangeQueriesInfo(2).hasRawReads()).as("no reads: raw reads unset").isFalse();
        assertThat(kv.getReadsList()).as("range reads are not point reads").isEmpty();
    }

    @Test
    void paginatedScansAreReadOnly() {
        InMemoryState state = new InMemoryState().put("cc", "a", b("a"), new Version(1, 0))
                .put("cc", "b", b("b"), new Version(1, 0));
        TransactionSimulator sim = new TransactionSimulator(state, "tx9");
        TransactionSimulator.RangeScan page = sim.rangeScan("cc", "", "", 1);
        assertThat(page.next().key()).isEqualTo("a");
        assertThat(page.next()).isNull();
        assertThat(page.bookmarkAndClose()).isEqualTo("b");
        assertThatThrownBy(() -> sim.setState("cc", "k", b("v")))
                .hasMessage("txid [tx9]: unsuppored transaction. Transaction has already performed a paginated"
                        + " query. Writes are not allowed");

        TransactionSimulator writer = new TransactionSimulator(state, "tx10");
        writer.setState("cc", "k", b("v"));
        assertThatThrownBy(() -> writer.rangeScan("cc", "", "", 5))
                .hasMessageContaining("Paginated queries are supported only in a read-only transaction");
    }
}
