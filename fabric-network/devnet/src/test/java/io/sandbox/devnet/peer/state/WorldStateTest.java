package io.sandbox.devnet.peer.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.StampedLock;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

/** World state semantics on unsigned blocks (the state trusts the TRANSACTIONS_FILTER; validation is elsewhere). */
class WorldStateTest {

    static Envelope writes(String txId, String... keys) {
        KVRWSet.Builder kv = KVRWSet.newBuilder();
        for (String k : keys) {
            kv.addWrites(KVWrite.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8("v-" + k)));
        }
        ByteString prp = ProposalResponsePayload.newBuilder().setExtension(ChaincodeAction.newBuilder()
                .setResults(TxReadWriteSet.newBuilder().addNsRwset(NsReadWriteSet.newBuilder().setNamespace("cc")
                        .setRwset(kv.build().toByteString())).build().toByteString()).build().toByteString()).build().toByteString();
        ByteString tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder().setPayload(
                ChaincodeActionPayload.newBuilder().setAction(ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(prp)).build().toByteString())).build().toByteString();
        return Envelope.newBuilder().setPayload(Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(
                ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE).setChannelId("ch")
                        .setTxId(txId).build().toByteString())).setData(tx).build().toByteString()).build();
    }

    static Block block(long number, byte[] filter, Envelope... txs) {
        BlockData.Builder data = BlockData.newBuilder();
        for (Envelope e : txs) {
            data.addData(e.toByteString());
        }
        BlockMetadata.Builder md = BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY);
        if (filter != null) {
            md.addMetadata(ByteString.copyFrom(filter));
        }
        return Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(number)).setData(data).setMetadata(md).build();
    }

    @Test
    void rangeFollowsFabricSemanticsInUtf8ByteOrder() {
        WorldState ws = new WorldState("ch");
        String emoji = "k\uD83D\uDE00"; // U+1F600: after U+FFFD in UTF-8 byte order, before it in UTF-16
        String composite = "\u0000asset\u0000a\u0000";
        ws.commit(block(0, null, writes("t0", "a", "b", "c", "k\uFFFD", emoji, composite)));

        assertThat(keys(ws.range("cc", "a", "c"))).containsExactly("a", "b");
        assertThat(keys(ws.range("cc", "b", ""))).containsExactly("b", "c", "k\uFFFD", emoji);
        assertThat(keys(ws.range("cc", "", "b"))).containsExactly(composite, "a");
        assertThat(keys(ws.range("cc", "k", "k\uDBFF\uDFFF"))).containsExactly("k\uFFFD", emoji);
        assertThat(keys(ws.range("cc", "\u0000asset\u0000", "\u0000asset\u0000\uDBFF\uDFFF"))).containsExactly(composite);
        assertThat(ws.range("cc", "c", "a")).isEmpty();
        assertThat(ws.range("other", "", "")).isEmpty();
        assertThat(ws.get("cc", "a").orElseThrow().version()).isEqualTo(new Version(0, 0));
        assertThat(KeyOrder.compare("\uFFFD", "\uD83D\uDE00")).isNegative();
    }

    @Test
    void onlyValidTransactionsAreAppliedAndEveryTxIdIsIndexed() {
        WorldState ws = new WorldState("ch");
        ws.commit(block(0, null, writes("t0", "g")));
        ws.commit(block(1, new byte[] {(byte) TxValidationCode.MVCC_READ_CONFLICT_VALUE, 0},
                writes("t1", "x"), writes("t2", "y")));
        assertThat(ws.get("cc", "x")).isEmpty();
        assertThat(ws.get("cc", "y").orElseThrow().version()).isEqualTo(new Version(1, 1));
        assertThat(ws.transaction("t1").orElseThrow().validationCode()).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(ws.transaction("t2").orElseThrow()).isEqualTo(new TxRecord("t2", 1, 1, TxValidationCode.VALID));
        assertThat(ws.history("cc", "x")).isEmpty();

        assertThatThrownBy(() -> ws.commit(block(2, null, writes("t3", "z"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TRANSACTIONS_FILTER");
        assertThatThrownBy(() -> ws.commit(block(5, new byte[1], writes("t3", "z"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expects block 2");
        assertThat(ws.height()).isEqualTo(2);
    }

    @Test
    void readersNeverSeeHalfABlock() throws Exception {
        WorldState ws = new WorldState("ch");
        ws.commit(block(0, null, writes("t0", "seed")));
        List<String> problems = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 20_000 && problems.isEmpty(); i++) {
                ws.read(view -> {
                    int n = view.range("cc", "p", "q").size();
                    if (n % 50 != 0) {
                        synchronized (problems) {
                            problems.add("saw " + n + " keys");
                        }
                    }
                    return null;
                });
            }
        });
        for (int b = 1; b <= 40; b++) {
            List<Envelope> txs = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                txs.add(writes("b" + b + "t" + t, "p" + b + "-" + t));
            }
            ws.commit(block(b, new byte[50], txs.toArray(Envelope[]::new)));
        }
        reader.join();
        assertThat(problems).isEmpty();
        assertThat(ws.range("cc", "p", "q")).hasSize(2000);
    }

    @Test
    void commitWaitsForOpenSnapshots() throws Exception {
        WorldState ws = new WorldState("ch");
        ws.commit(block(0, null, writes("t0", "a")));
        Version before = new Version(0, 0);
        Block next = block(1, new byte[1], writes("t1", "a", "b"));

        WorldState.Snapshot snapshot = ws.snapshot();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> committed = new CompletableFuture<>();
        Thread committer = Thread.ofPlatform().name("committer").start(() -> {
            started.countDown();
            try {
                ws.commit(next);
                committed.complete(null);
            } catch (Throwable t) {
                committed.completeExceptionally(t);
            }
        });
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // proof that the commit got as far as the simulations' commit lock and waits there (not a sleep)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(LockSupport.getBlocker(committer) instanceof StampedLock)) {
                assertThat(committed).as("commit ran while a snapshot was open").isNotDone();
                assertThat(System.nanoTime() - deadline).as("commit never blocked on the snapshot").isNegative();
                Thread.onSpinWait();
            }

            assertThat(committed).isNotDone();
            assertThat(ws.height()).isEqualTo(1);
            assertThat(ws.get("cc", "a").orElseThrow().version()).isEqualTo(before);
            assertThat(ws.get("cc", "b")).isEmpty();
            assertThat(ws.transaction("t1")).isEmpty();
            assertThat(snapshot.height()).isEqualTo(1);
            assertThat(snapshot.get("cc", "a").orElseThrow().version()).isEqualTo(before);
            assertThat(snapshot.get("cc", "b")).isEmpty();
            assertThat(snapshot.range("cc", "", "")).toIterable().extracting(KeyValue::key).containsExactly("a");
        } finally {
            snapshot.close();
        }

        committed.get(10, TimeUnit.SECONDS);
        committer.join();
        assertThat(ws.height()).isEqualTo(2);
        assertThat(ws.get("cc", "a").orElseThrow().version()).isEqualTo(new Version(1, 0));
        assertThat(ws.get("cc", "b").orElseThrow().version()).isEqualTo(new Version(1, 0));
        assertThatThrownBy(() -> snapshot.get("cc", "a")).isInstanceOf(IllegalStateException.class);
        try (WorldState.Snapshot after = ws.snapshot()) {
            assertThat(after.height()).isEqualTo(2);
            assertThat(after.get("cc", "a").orElseThrow().version()).isEqualTo(new Version(1, 0));
        }
    }

    static List<String> keys(List<KeyValue> kvs) {
        return kvs.stream().map(KeyValue::key).toList();
    }
}
