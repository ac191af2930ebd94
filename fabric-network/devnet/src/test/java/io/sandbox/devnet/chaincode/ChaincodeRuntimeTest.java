package io.sandbox.devnet.chaincode;

import com.google.protobuf.ByteString;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.KeyModification;
import io.sandbox.devnet.peer.state.Version;
import io.sandbox.devnet.peer.state.VersionedValue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;

import org.hyperledger.fabric.contract.ContractRouter;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.shim.ChaincodeServer;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.NettyChaincodeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime against the real reference chaincode, run in-process by the shim's CCaaS server. */
class ChaincodeRuntimeTest {

    private static final String CHANNEL = "pilot";
    private static final String CC = "sandbox";
    private static final String PACKAGE_ID = "sandbox_1.0:0123abcd";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static ChaincodeServer server;
    private static ChaincodeConnection connection;
    private static FabricIdentity client;
    private static final ChaincodeRuntime RUNTIME = new ChaincodeRuntime(Duration.ofSeconds(10));

    @BeforeAll
    static void startChaincode() throws Exception {
        client = OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("StartupMSP", "startup.example.com",
                "peer0")).user();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        ChaincodeServerProperties properties = new ChaincodeServerProperties();
        properties.setServerAddress(new InetSocketAddress("127.0.0.1", port));
        properties.setTlsEnabled(false);
        properties.validate();
        ContractRouter router = new ContractRouter(new String[] {"-i", PACKAGE_ID});
        server = new NettyChaincodeServer(router, properties);
        Thread thread = new Thread(() -> {
            try {
                router.startRouterWithChaincodeServer(server);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test-chaincode-server");
        thread.setDaemon(true);
        thread.start();
        awaitListening(port); // the router scans the class path first; avoid gRPC's reconnect back-off
        connection = ChaincodeConnection.open(ConnectionInfo.parse("{\"address\":\"127.0.0.1:" + port
                + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}"), Duration.ofSeconds(10), PACKAGE_ID);
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(25);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static ChaincodeRuntime.Result run(VersionedState state, String... args) throws Exception {
        return RUNTIME.execute(connection, Proposals.invocation(client, CHANNEL, CC, NOW, args), state);
    }

    private static ChaincodeRuntime.Result run(ChaincodeRuntime.Invocation invocation, VersionedState state) {
        return RUNTIME.execute(connection, invocation, state);
    }

    private static KVRWSet kv(TxReadWriteSet rwset, String ns) throws Exception {
        for (NsReadWriteSet set : rwset.getNsRwsetList()) {
            if (set.getNamespace().equals(ns)) {
                return KVRWSet.parseFrom(set.getRwset());
            }
        }
        throw new AssertionError("no namespace " + ns + " in " + rwset);
    }

    private static String customerKey(String ref) {
        return "\u0000sandbox.customer\u0000" + ref + "\u0000";
    }

    private static String utf8(com.google.protobuf.ByteString bytes) {
        return bytes.toStringUtf8();
    }

    @Test
    void handshakeRegistersThePackageId() {
        assertThat(connection.isReady()).isTrue();
        assertThat(connection.chaincodeId()).isEqualTo(PACKAGE_ID);
    }

    @Test
    void onboardThenIssueThenBalance() throws Exception {
        InMemoryState state = new InMemoryState();
        ChaincodeRuntime.Invocation onboard =
                Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-alice", "DE", "LOW");
        ChaincodeRuntime.Result onboarded = run(onboard, state);

        assertThat(onboarded.response().getStatus()).isEqualTo(200);
        assertThat(utf8(onboarded.response().getPayload())).contains("\"customerRef\":\"cust-alice\"");
        TxReadWriteSet rwset = onboarded.readWriteSet();
        assertThat(rwset.getDataModel()).isEqualTo(TxReadWriteSet.DataModel.KV);
        assertThat(rwset.getNsRwsetList()).extracting(NsReadWriteSet::getNamespace).containsExactly(CC);
        KVRWSet kv = kv(rwset, CC);
        assertThat(kv.getReadsList()).containsExactly(KVRead.newBuilder().setKey(customerKey("cust-alice")).build());
        assertThat(kv.getReads(0).hasVersion()).as("absent key: read without version").isFalse();
        assertThat(kv.getWritesList()).extracting(KVWrite::getKey).containsExactly(customerKey("cust-alice"));
        assertThat(utf8(kv.getWrites(0).getValue())).isEqualTo(
                "{\"customerRef\":\"cust-alice\",\"jurisdiction\":\"DE\",\"riskTier\":\"LOW\"}");

        ChaincodeEvent event = onboarded.event().orElseThrow();
        assertThat(event.getEventName()).isEqualTo("sandbox.v1");
        assertThat(event.getChaincodeId()).isEqualTo(CC);
        assertThat(event.getTxId()).isEqualTo(onboard.txId());
        assertThat(utf8(event.getPayload())).startsWith("{\"schema\":\"sandbox.reporting/1\",\"type\":\"CUSTOMER_ONBOARDED\"")
                .contains("\"customerRef\":\"cust-alice\"", "\"timestamp\":\"2026-01-02T03:04:05Z\"",
                        "\"txId\":\"" + onboard.txId() + "\"");

        state.apply(rwset, new Version(1, 0), onboard.txId());

        ChaincodeRuntime.Result issued = run(state, "issueAsset", "bond-1", "DEPOSIT_TOKEN", "EUR", "100.5",
                "cust-alice");
        assertThat(issued.response().getStatus()).isEqualTo(200);
        KVRWSet issueKv = kv(issued.readWriteSet(), CC);
        assertThat(issueKv.getReadsList()).extracting(KVRead::getKey)
                .containsExactly("\u0000sandbox.asset\u0000bond-1\u0000", customerKey("cust-alice"));
        KVRead customerRead = issueKv.getReads(1);
        assertThat(customerRead.getVersion().getBlockNum()).isEqualTo(1);
        assertThat(customerRead.getVersion().getTxNum()).isEqualTo(0);
        assertThat(issueKv.getReads(0).hasVersion()).isFalse();
        assertThat(issueKv.getWritesList()).extracting(KVWrite::getKey).containsExactly(
                "\u0000sandbox.asset\u0000bond-1\u0000",
                "\u0000sandbox.balance\u0000bond-1\u0000cust-alice\u0000");
        assertThat(utf8(issued.event().orElseThrow().getPayload())).contains("\"type\":\"ASSET_ISSUED\"",
                "\"amount\":\"100.50\"");
        state.apply(issued.readWriteSet(), new Version(2, 0), "tx2");

        ChaincodeRuntime.Result balance = run(state, "getBalance", "cust-alice", "bond-1");
        assertThat(balance.response().getStatus()).isEqualTo(200);
        assertThat(utf8(balance.response().getPayload())).contains("\"amount\":\"100.50\"", "\"currency\":\"EUR\"");
        assertThat(balance.event()).isEmpty();
        KVRWSet balanceKv = kv(balance.readWriteSet(), CC);
        assertThat(balanceKv.getWritesList()).isEmpty();
        assertThat(balanceKv.getReadsList()).extracting(r -> r.getKey() + "@" + r.getVersion().getBlockNum())
                .containsExactly("\u0000sandbox.asset\u0000bond-1\u0000@2",
                        "\u0000sandbox.balance\u0000bond-1\u0000cust-alice\u0000@2",
                        customerKey("cust-alice") + "@1");

        ChaincodeRuntime.Result none = run(state, "getBalance", "cust-alice", "bond-2");
        assertThat(none.response().getStatus()).isEqualTo(500);
        assertThat(none.response().getMessage()).contains("unknown asset 'bond-2'");
    }

    @Test
    void validationFailureIs500WithTheChaincodesMessageAndNoWrites() throws Exception {
        InMemoryState state = new InMemoryState();
        state.put(CC, customerKey("cust-bob"), "{\"customerRef\":\"cust-bob\"}".getBytes(StandardCharsets.UTF_8),
                new Version(1, 0));
        ChaincodeRuntime.Result result = run(state, "issueAsset", "bond-9", "DEPOSIT_TOKEN", "EUR", "-5", "cust-bob");
        assertThat(result.response().getStatus()).isEqualTo(500);
        assertThat(result.response().getMessage()).contains("amount").contains("must be greater than zero");
        assertThat(result.event()).isEmpty();
        for (NsReadWriteSet ns : result.readWriteSet().getNsRwsetList()) {
            assertThat(KVRWSet.parseFrom(ns.getRwset()).getWritesList()).isEmpty();
        }
    }

    @Test
    void twoTransactionsInFlightOnOneStreamAreKeptApart() throws Exception {
        CountDownLatch bothReading = new CountDownLatch(2);
        InMemoryState backing = new InMemoryState();
        VersionedState gate = new VersionedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                bothReading.countDown();
                try {
                    if (!bothReading.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the other transaction never read");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return backing.get(namespace, key);
            }

            @Override
            public Iterator<KeyValue> range(String namespace, String startKey, String endKey) {
                return backing.range(namespace, startKey, endKey);
            }
        };
        ChaincodeRuntime.Invocation a = Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-a",
                "DE", "LOW");
        ChaincodeRuntime.Invocation b = Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-b",
                "FR", "HIGH");
        CompletableFuture<ChaincodeRuntime.Result> ra = CompletableFuture.supplyAsync(() -> run(a, gate));
        CompletableFuture<ChaincodeRuntime.Result> rb = CompletableFuture.supplyAsync(() -> run(b, gate));
        ChaincodeRuntime.Result resultA = ra.get(20, TimeUnit.SECONDS);
        ChaincodeRuntime.Result resultB = rb.get(20, TimeUnit.SECONDS);

        assertThat(kv(resultA.readWriteSet(), CC).getWritesList()).extracting(KVWrite::getKey)
                .containsExactly(customerKey("cust-a"));
        assertThat(kv(resultB.readWriteSet(), CC).getWritesList()).extracting(KVWrite::getKey)
                .containsExactly(customerKey("cust-b"));
        assertThat(resultA.event().orElseThrow().getTxId()).isEqualTo(a.txId());
        assertThat(utf8(resultA.event().orElseThrow().getPayload())).contains("cust-a").doesNotContain("cust-b");
        assertThat(resultB.event().orElseThrow().getTxId()).isEqualTo(b.txId());
        assertThat(utf8(resultB.event().orElseThrow().getPayload())).contains("cust-b").doesNotContain("cust-a");
    }

    @Test
    void manyConcurrentTransactionsOnOneStreamAllComplete() throws Exception {
        int count = 2_000;
        InMemoryState state = new InMemoryState();
        java.util.List<ChaincodeRuntime.Invocation> invocations = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            invocations.add(Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-many-" + i, "DE",
                    "LOW"));
        }
        java.util.List<CompletableFuture<ChaincodeRuntime.Result>> results = new java.util.ArrayList<>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (ChaincodeRuntime.Invocation invocation : invocations) {
                results.add(CompletableFuture.supplyAsync(() -> run(invocation, state), executor));
            }
            for (int i = 0; i < count; i++) {
                ChaincodeRuntime.Result result = results.get(i).get(60, TimeUnit.SECONDS);
                assertThat(result.response().getStatus()).as("transaction %d", i).isEqualTo(200);
                assertThat(kv(result.readWriteSet(), CC).getWritesList()).extracting(KVWrite::getKey)
                        .containsExactly(customerKey("cust-many-" + i));
            }
        }
        assertThat(connection.streamsOpened()).isEqualTo(1);
    }

    @Test
    void twoStreamsRunTheSameTransactionIdsIndependently() throws Exception {
        int count = 2_000;
        InMemoryState state = new InMemoryState();
        ChaincodeConnection second = ChaincodeConnection.open(connection.info(), Duration.ofSeconds(10), PACKAGE_ID);
        try (second) {
            java.util.List<ChaincodeRuntime.Invocation> invocations = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                invocations.add(Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-two-" + i,
                        "DE", "LOW"));
            }
            java.util.List<CompletableFuture<ChaincodeRuntime.Result>> results = new java.util.ArrayList<>();
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (ChaincodeRuntime.Invocation invocation : invocations) {
                    results.add(CompletableFuture.supplyAsync(() -> RUNTIME.execute(connection, invocation, state), executor));
                    results.add(CompletableFuture.supplyAsync(() -> RUNTIME.execute(second, invocation, state), executor));
                }
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get(60, TimeUnit.SECONDS).response().getStatus()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void theSharedStreamOutlivesTheGrpcCallThatOpenedIt() throws Exception {
        // a connection dialed inside a proposal's server-call Context must not die when that call ends
        io.grpc.Context.CancellableContext call = io.grpc.Context.current().withCancellation();
        ChaincodeConnection opened = call.call(() -> ChaincodeConnection.open(connection.info(), Duration.ofSeconds(10),
                PACKAGE_ID));
        try (opened) {
            ChaincodeRuntime.Result first = call.call(() -> RUNTIME.execute(opened,
                    Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "ctx-1", "DE", "LOW"),
                    new InMemoryState()));
            assertThat(first.response().getStatus()).isEqualTo(200);
            call.cancel(null);
            Thread.sleep(200); // let a (wrongly) cancelled stream's onError arrive
            assertThat(opened.isReady()).isTrue();
            ChaincodeRuntime.Result second = RUNTIME.execute(opened,
                    Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "ctx-2", "DE", "LOW"),
                    new InMemoryState());
            assertThat(second.response().getStatus()).isEqualTo(200);
            assertThat(opened.streamsOpened()).isEqualTo(1);
        }
    }

    @Test
    void readsDoNotSeeTheTransactionsOwnWrites() throws Exception {
        InMemoryState state = new InMemoryState().put(CC, "k", "old".getBytes(StandardCharsets.UTF_8),
                new Version(3, 1));
        ChaincodeRuntime.Result result = run(state, "probe:readAfterWrite", "k", "new");
        assertThat(utf8(result.response().getPayload())).isEqualTo("old");
        KVRWSet kv = kv(result.readWriteSet(), CC);
        assertThat(kv.getReads(0).getVersion().getBlockNum()).isEqualTo(3);
        assertThat(kv.getReads(0).getVersion().getTxNum()).isEqualTo(1);
        assertThat(utf8(kv.getWrites(0).getValue())).isEqualTo("new");
    }

    @Test
    void rangeQueriesAcrossBatchesAndPartialCompositeKeys() throws Exception {
        InMemoryState state = new InMemoryState();
        for (int i = 0; i < 250; i++) {
            state.put(CC, String.format("key%03d", i), ("v" + i).getBytes(StandardCharsets.UTF_8), new Version(1, i));
        }
        state.put(CC, "\u0000thing\u0000a\u0000", "x".getBytes(StandardCharsets.UTF_8), new Version(2, 0));
        state.put(CC, "\u0000thing\u0000b\u0000", "y".getBytes(StandardCharsets.UTF_8), new Version(2, 1));
        state.put(CC, "\u0000other\u0000c\u0000", "z".getBytes(StandardCharsets.UTF_8), new Version(2, 2));

        // 250 results: three batches of at most 100 (QUERY_STATE_NEXT), then the iterator is exhausted
        ChaincodeRuntime.Result all = run(state, "probe:scan", "key000", "key999");
        assertThat(all.response().getStatus()).isEqualTo(200);
        String payload = utf8(all.response().getPayload());
        assertThat(payload).startsWith("250:key000=v0,key001=v1,").endsWith("key249=v249");
        RangeQueryInfo info = kv(all.readWriteSet(), CC).getRangeQueriesInfo(0);
        assertThat(info.getStartKey()).isEqualTo("key000");
        assertThat(info.getEndKey()).isEqualTo("key999");
        assertThat(info.getItrExhausted()).isTrue();
        assertThat(info.getRawReads().getKvReadsCount()).isEqualTo(250);
        assertThat(info.getRawReads().getKvReads(7).getVersion().getTxNum()).isEqualTo(7);

        // abandoned after the first result: the peer fetched its first batch of 100 plus the one that showed
        // there is more, so 101 reads, the end key is the last key fetched, and the scan is not exhausted
        ChaincodeRuntime.Result first = run(state, "probe:scanFirst", "key000", "key999");
        assertThat(utf8(first.response().getPayload())).isEqualTo("key000");
        RangeQueryInfo partialInfo = kv(first.readWriteSet(), CC).getRangeQueriesInfo(0);
        assertThat(partialInfo.getItrExhausted()).isFalse();
        assertThat(partialInfo.getEndKey()).isEqualTo("key100");
        assertThat(partialInfo.getRawReads().getKvReadsCount()).isEqualTo(101);

        // a small range is fetched whole in the first batch, so it is exhausted even if the chaincode stops early
        RangeQueryInfo small = kv(run(state, "probe:scanFirst", "key010", "key020").readWriteSet(), CC)
                .getRangeQueriesInfo(0);
        assertThat(small.getItrExhausted()).isTrue();
        assertThat(small.getEndKey()).isEqualTo("key020");

        ChaincodeRuntime.Result composite = run(state, "probe:partial", "thing");
        assertThat(utf8(composite.response().getPayload())).isEqualTo("[a],[b]");
    }

    @Test
    void paginationReturnsBookmarksAndForbidsWrites() throws Exception {
        InMemoryState state = new InMemoryState();
        for (String k : List.of("a", "b", "c", "d", "e")) {
            state.put(CC, k, k.getBytes(StandardCharsets.UTF_8), new Version(1, 0));
        }
        ChaincodeRuntime.Result page1 = run(state, "probe:page", "a", "z", "2", "");
        assertThat(utf8(page1.response().getPayload())).isEqualTo("a,b|c|2");
        ChaincodeRuntime.Result page3 = run(state, "probe:page", "a", "z", "2", "e");
        assertThat(utf8(page3.response().getPayload())).isEqualTo("e||1");

        ChaincodeRuntime.Result write = run(state, "probe:pageThenWrite", "k");
        assertThat(write.response().getStatus()).isEqualTo(500);
        assertThat(kv(write.readWriteSet(), CC).getWritesList()).isEmpty();
    }

    @Test
    void historyMetadataAndUnsupportedRequests() throws Exception {
        InMemoryState state = new InMemoryState().put(CC, "k", "v1".getBytes(StandardCharsets.UTF_8),
                new Version(1, 0));
        state.addHistory(CC, "k", new KeyModification("tx1", ByteString.copyFromUtf8("v1"),
                NOW, false, new Version(1, 0)));
        state.addHistory(CC, "k", new KeyModification("tx2", ByteString.EMPTY, NOW, true, new Version(1, 1)));
        assertThat(utf8(run(state, "probe:history", "k").response().getPayload()))
                .isEqualTo("tx2//true,tx1/v1/false");

        ChaincodeRuntime.Result set = run(state, "probe:setPolicy", "k", "policy-bytes");
        assertThat(set.response().getStatus()).isEqualTo(200);
        KVRWSet kv = kv(set.readWriteSet(), CC);
        assertThat(kv.getMetadataWritesCount()).isEqualTo(1);
        assertThat(kv.getMetadataWrites(0).getKey()).isEqualTo("k");
        assertThat(kv.getMetadataWrites(0).getEntries(0).getName()).isEqualTo("VALIDATION_PARAMETER");
        assertThat(utf8(kv.getMetadataWrites(0).getEntries(0).getValue())).isEqualTo("policy-bytes");
        state.apply(set.readWriteSet(), new Version(2, 0), "tx3");
        ChaincodeRuntime.Result get = run(state, "probe:getPolicy", "k");
        assertThat(utf8(get.response().getPayload())).isEqualTo("policy-bytes");
        assertThat(kv(get.readWriteSet(), CC).getReads(0).getVersion().getBlockNum()).isEqualTo(2);

        ChaincodeRuntime.Result pvt = run(state, "probe:privateHash", "coll", "k");
        assertThat(pvt.response().getStatus()).isEqualTo(500);

        ChaincodeRuntime.Result deleted = run(state, "probe:delete", "k");
        KVWrite delete = kv(deleted.readWriteSet(), CC).getWrites(0);
        assertThat(delete.getIsDelete()).isTrue();
        assertThat(delete.getValue().isEmpty()).isTrue();

        VersionedState noHistory = new VersionedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                return Optional.empty();
            }

            @Override
            public Iterator<KeyValue> range(String namespace, String startKey, String endKey) {
                return List.<KeyValue>of().iterator();
            }
        };
        assertThat(run(noHistory, "probe:history", "k").response().getStatus()).isEqualTo(500);
    }

    @Test
    void timeoutIsAClearFailureAndTheStreamStaysUsable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        VersionedState stuck = new VersionedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }

            @Override
            public Iterator<KeyValue> range(String namespace, String startKey, String endKey) {
                return List.<KeyValue>of().iterator();
            }
        };
        ChaincodeRuntime quick = new ChaincodeRuntime(Duration.ofMillis(500));
        ChaincodeRuntime.Invocation invocation =
                Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-slow", "DE", "LOW");
        assertThatThrownBy(() -> quick.execute(connection, invocation, stuck))
                .isInstanceOf(ChaincodeException.class)
                .hasMessage("failed to execute transaction " + invocation.txId()
                        + ": timeout expired while executing transaction");
        release.countDown();
        assertThat(run(new InMemoryState(), "getBalance", "x", "y").response().getStatus()).isEqualTo(500);
    }

    @Test
    void duplicateTransactionIdIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reading = new CountDownLatch(1);
        VersionedState slow = new VersionedState() {
            @Override
            public Optional<VersionedValue> get(String namespace, String key) {
                reading.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }

            @Override
            public Iterator<KeyValue> range(String namespace, String startKey, String endKey) {
                return List.<KeyValue>of().iterator();
            }
        };
        ChaincodeRuntime.Invocation invocation =
                Proposals.invocation(client, CHANNEL, CC, NOW, "onboardCustomer", "cust-dup", "DE", "LOW");
        CompletableFuture<ChaincodeRuntime.Result> first = CompletableFuture.supplyAsync(() -> run(invocation, slow));
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> run(invocation, slow)).isInstanceOf(ChaincodeException.class)
                .hasMessage("txid: " + invocation.txId() + "(" + CHANNEL + ") exists");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).response().getStatus()).isEqualTo(200);
    }

    @Test
    void reconnectsWhenTheStreamDies() throws Exception {
        int before = connection.streamsOpened();
        connection.breakStream();
        assertThat(connection.isReady()).isFalse();
        ChaincodeRuntime.Result result = run(new InMemoryState(), "onboardCustomer", "cust-re", "DE", "LOW");
        assertThat(result.response().getStatus()).isEqualTo(200);
        assertThat(connection.streamsOpened()).isEqualTo(before + 1);
        assertThat(connection.isReady()).isTrue();
    }
}
