package io.sandbox.devnet.chaincode;

import io.sandbox.devnet.peer.state.KeyValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;

import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;

/**
 * Executes transactions on a chaincode over a {@link ChaincodeConnection}, serving the chaincode's state requests
 * from a {@link TransactionSimulator}, as Fabric's {@code ChaincodeSupport.Execute} and {@code Handler}
 * (core/chaincode/chaincode_support.go, handler.go, query_response.go):
 * <ul>
 *   <li>sends {@code TRANSACTION} (or {@code INIT}) with the {@link ChaincodeInput} as payload, the channel and
 *       transaction ids, and the {@link SignedProposal};</li>
 *   <li>serves {@code GET_STATE}, {@code PUT_STATE}, {@code DEL_STATE}, {@code GET_STATE_BY_RANGE} (with
 *       pagination: page size and bookmark in {@link QueryMetadata}), {@code QUERY_STATE_NEXT},
 *       {@code QUERY_STATE_CLOSE}, {@code GET_HISTORY_FOR_KEY}, {@code GET_STATE_METADATA},
 *       {@code PUT_STATE_METADATA}, each answered with {@code RESPONSE}; query results come in batches of at most
 *       {@code maxResultLimit} (Fabric: 100) and at most {@code totalQueryLimit} in all (Fabric's
 *       {@code ledger.state.totalQueryLimit}, 100000);</li>
 *   <li>answers every other request with {@code ERROR} whose payload is Fabric's message
 *       ({@code "<TYPE> failed: transaction ID: <txid>: <cause>"}): private data, rich queries and
 *       chaincode-to-chaincode calls are not supported by the devnet;</li>
 *   <li>{@code COMPLETED} yields the chaincode's {@link Response}, the rwset and the chaincode event with
 *       {@code chaincode_id} and {@code tx_id} set by the peer; {@code ERROR}, a dead stream or the execute timeout
 *       (Fabric's {@code chaincode.executetimeout}, 30 s) throw {@link ChaincodeException}.</li>
 * </ul>
 */
public final class ChaincodeRuntime {

    public static final Duration DEFAULT_EXECUTE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_TOTAL_QUERY_LIMIT = 100_000;
    public static final int DEFAULT_MAX_RESULT_LIMIT = 100;

    static final String PRIVATE_DATA_UNSUPPORTED = "private data not supported by the devnet";

    private static final Logger LOG = Logger.getLogger(ChaincodeRuntime.class.getName());

    private final Duration executeTimeout;
    private final int totalQueryLimit;
    private final int maxResultLimit;

    /** Fabric's defaults. */
    public ChaincodeRuntime() {
        this(DEFAULT_EXECUTE_TIMEOUT);
    }

    public ChaincodeRuntime(Duration executeTimeout) {
        this(executeTimeout, DEFAULT_TOTAL_QUERY_LIMIT, DEFAULT_MAX_RESULT_LIMIT);
    }

    public ChaincodeRuntime(Duration executeTimeout, int totalQueryLimit, int maxResultLimit) {
        this.executeTimeout = Objects.requireNonNull(executeTimeout, "executeTimeout");
        if (executeTimeout.isNegative() || executeTimeout.isZero()) {
            throw new IllegalArgumentException("executeTimeout must be positive");
        }
        if (totalQueryLimit <= 0 || maxResultLimit <= 0) {
            throw new IllegalArgumentException("query limits must be positive");
        }
        this.totalQueryLimit = totalQueryLimit;
        this.maxResultLimit = maxResultLimit;
    }

    public Duration executeTimeout() {
        return executeTimeout;
    }

    /**
     * One execution.
     *
     * @param channelId      the channel
     * @param txId           the transaction id (of the proposal's channel header)
     * @param chaincodeName  the chaincode name: the state namespace and the event's chaincode id
     * @param input          arguments (args[0] is the function)
     * @param signedProposal the proposal, passed to the chaincode (the shim reads creator, timestamp, transient
     *                       data from it); may be null
     * @param init           send INIT instead of TRANSACTION (an {@code --isInit} invocation)
     */
    public record Invocation(String channelId, String txId, String chaincodeName, ChaincodeInput input,
            SignedProposal signedProposal, boolean init) {
        public Invocation {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(txId, "txId");
            Objects.requireNonNull(chaincodeName, "chaincodeName");
            Objects.requireNonNull(input, "input");
        }
    }

    /**
     * A completed execution: the chaincode's response (status 200 or an error status with its message; the
     * endorser decides what a status of 400 or more means), the simulation's read-write set, and the event the
     * chaincode set, if any.
     */
    public record Result(Response response, TxReadWriteSet readWriteSet, Optional<ChaincodeEvent> event) {
    }

    /**
     * Executes {@code invocation} on the chaincode behind {@code connection}, simulating over {@code state}.
     *
     * @throws ChaincodeException on ERROR, a dead stream, or the execute timeout
     */
    public Result execute(ChaincodeConnection connection, Invocation invocation, VersionedState state) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(invocation, "invocation");
        Objects.requireNonNull(state, "state");
        TransactionSimulator simulator = new TransactionSimulator(state, invocation.txId());
        TxContext context = new TxContext(invocation, simulator, state);
        ChaincodeMessage.Builder message = ChaincodeMessage.newBuilder()
                .setType(invocation.init() ? ChaincodeMessage.Type.INIT : ChaincodeMessage.Type.TRANSACTION)
                .setPayload(invocation.input().toByteString())
                .setTxid(invocation.txId())
                .setChannelId(invocation.channelId());
        if (invocation.signedProposal() != null) {
            message.setProposal(invocation.signedProposal());
        }
        ChaincodeMessage done;
        try (ChaincodeConnection.Registration registration =
                connection.register(invocation.channelId(), invocation.txId(), context)) {
            registration.send(message.build());
            done = context.done.get(executeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            simulator.abandon();
            throw new ChaincodeException("failed to execute transaction " + invocation.txId()
                    + ": timeout expired while executing transaction");
        } catch (ExecutionException e) {
            simulator.abandon();
            throw new ChaincodeException("failed to execute transaction " + invocation.txId() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            simulator.abandon();
            throw new ChaincodeException("interrupted while executing transaction " + invocation.txId(), e);
        } catch (RuntimeException e) {
            simulator.abandon();
            throw e;
        } finally {
            context.closeQueries();
        }

        Optional<ChaincodeEvent> event = done.hasChaincodeEvent()
                ? Optional.of(done.getChaincodeEvent().toBuilder()
                        .setChaincodeId(invocation.chaincodeName())
                        .setTxId(invocation.txId())
                        .build())
                : Optional.empty();
        switch (done.getType()) {
            case COMPLETED -> {
                Response response;
                try {
                    response = Response.parseFrom(done.getPayload());
                } catch (InvalidProtocolBufferException e) {
                    simulator.abandon();
                    throw new ChaincodeException("failed to unmarshal response for transaction "
                            + invocation.txId() + ": " + e.getMessage(), e);
                }
                return new Result(response, simulator.results(), event);
            }
            case ERROR -> {
                simulator.abandon();
                throw new ChaincodeException("transaction returned with failure: " + done.getPayload().toStringUtf8());
            }
            default -> {
                simulator.abandon();
                throw new ChaincodeException("unexpected response type " + done.getType().getNumber()
                        + " for transaction " + invocation.txId());
            }
        }
    }

    static ChaincodeMessage error(ChaincodeMessage request, String message) {
        return ChaincodeMessage.newBuilder()
                .setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(message))
                .setTxid(request.getTxid())
                .setChannelId(request.getChannelId())
                .build();
    }

    private static ChaincodeMessage response(ChaincodeMessage request, ByteString payload) {
        return ChaincodeMessage.newBuilder()
                .setType(ChaincodeMessage.Type.RESPONSE)
                .setPayload(payload)
                .setTxid(request.getTxid())
                .setChannelId(request.getChannelId())
                .build();
    }

    /** A request the devnet answers with ERROR (the message is the cause). */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    /** The peer's transaction context: one execution on one stream. */
    private final class TxContext implements ChaincodeConnection.TransactionHandler {
        private final Invocation invocation;
        private final TransactionSimulator simulator;
        private final VersionedState state;
        private final CompletableFuture<ChaincodeMessage> done = new CompletableFuture<>();
        private final Map<String, Query> queries = new ConcurrentHashMap<>();

        TxContext(Invocation invocation, TransactionSimulator simulator, VersionedState state) {
            this.invocation = invocation;
            this.simulator = simulator;
            this.state = state;
        }

        @Override
        public void onRequest(ChaincodeMessage request, Consumer<ChaincodeMessage> reply) {
            ChaincodeMessage answer;
            try {
                answer = handle(request);
            } catch (RuntimeException e) {
                String cause = e.getMessage() == null ? e.toString() : e.getMessage();
                if (!(e instanceof Unsupported)) {
                    LOG.log(Level.FINE, "[" + request.getTxid() + "] failed to handle " + request.getType(), e);
                }
                answer = error(request, request.getType() + " failed: transaction ID: " + request.getTxid() + ": "
                        + cause);
            }
            if (done.isDone()) {
                return;
            }
            try {
                reply.accept(answer);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "could not answer " + request.getType(), e);
            }
        }

        @Override
        public void onDone(ChaincodeMessage message) {
            done.complete(message);
        }

        @Override
        public void onStreamTerminated(String reason) {
            done.completeExceptionally(new ChaincodeException(reason));
        }

        void closeQueries() {
            queries.values().forEach(Query::close);
            queries.clear();
        }

        private String ns() {
            return invocation.chaincodeName();
        }

        private ChaincodeMessage handle(ChaincodeMessage request) {
            try {
                return switch (request.getType()) {
                    case GET_STATE -> getState(request);
                    case PUT_STATE -> putState(request);
                    case DEL_STATE -> delState(request);
                    case GET_STATE_BY_RANGE -> getStateByRange(request);
                    case QUERY_STATE_NEXT -> queryStateNext(request);
                    case QUERY_STATE_CLOSE -> queryStateClose(request);
                    case GET_HISTORY_FOR_KEY -> getHistoryForKey(request);
                    case GET_STATE_METADATA -> getStateMetadata(request);
                    case PUT_STATE_METADATA -> putStateMetadata(request);
                    case GET_PRIVATE_DATA_HASH, PURGE_PRIVATE_DATA -> throw new Unsupported(PRIVATE_DATA_UNSUPPORTED);
                    case GET_QUERY_RESULT -> throw new Unsupported("ExecuteQuery not supported for leveldb");
                    case INVOKE_CHAINCODE -> throw new Unsupported(
                            "chaincode-to-chaincode invocation not supported by the devnet");
                    default -> throw new Unsupported("[" + request.getTxid() + "] Fabric side handler cannot handle"
                            + " message (" + request.getType() + ") while in ready state");
                };
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("unmarshal failed: " + e.getMessage(), e);
            }
        }

        private void noCollection(String collection) {
            if (!collection.isEmpty()) {
                throw new Unsupported(PRIVATE_DATA_UNSUPPORTED);
            }
        }

        private ChaincodeMessage getState(ChaincodeMessage request) throws InvalidProtocolBufferException {
            GetState get = GetState.parseFrom(request.getPayload());
            noCollection(get.getCollection());
            byte[] value = simulator.getState(ns(), get.getKey());
            return response(request, value == null ? ByteString.EMPTY : ByteString.copyFrom(value));
        }

        private ChaincodeMessage putState(ChaincodeMessage request) throws InvalidProtocolBufferException {
            PutState put = PutState.parseFrom(request.getPayload());
            noCollection(put.getCollection());
            simulator.setState(ns(), put.getKey(), put.getValue().toByteArray());
            return response(request, ByteString.EMPTY);
        }

        private ChaincodeMessage delState(ChaincodeMessage request) throws InvalidProtocolBufferException {
            DelState del = DelState.parseFrom(request.getPayload());
            noCollection(del.getCollection());
            simulator.deleteState(ns(), del.getKey());
            return response(request, ByteString.EMPTY);
        }

        private ChaincodeMessage getStateMetadata(ChaincodeMessage request) throws InvalidProtocolBufferException {
            GetStateMetadata get = GetStateMetadata.parseFrom(request.getPayload());
            noCollection(get.getCollection());
            StateMetadataResult.Builder result = StateMetadataResult.newBuilder();
            new TreeMap<>(simulator.getStateMetadata(ns(), get.getKey())).forEach((name, value) -> result
                    .addEntries(StateMetadata.newBuilder().setMetakey(name).setValue(ByteString.copyFrom(value))));
            return response(request, result.build().toByteString());
        }

        private ChaincodeMessage putStateMetadata(ChaincodeMessage request) throws InvalidProtocolBufferException {
            PutStateMetadata put = PutStateMetadata.parseFrom(request.getPayload());
            noCollection(put.getCollection());
            // as Fabric: the key's metadata becomes this one entry
            simulator.setStateMetadata(ns(), put.getKey(),
                    Map.of(put.getMetadata().getMetakey(), put.getMetadata().getValue().toByteArray()));
            return response(request, ByteString.EMPTY);
        }

        private ChaincodeMessage getStateByRange(ChaincodeMessage request) throws InvalidProtocolBufferException {
            GetStateByRange range = GetStateByRange.parseFrom(request.getPayload());
            noCollection(range.getCollection());
            QueryMetadata metadata = range.getMetadata().isEmpty() ? null
                    : QueryMetadata.parseFrom(range.getMetadata());
            boolean paginated = metadata != null && (metadata.getPageSize() != 0 || !metadata.getBookmark().isEmpty());
            int limit = totalReturnLimit(metadata);
            String startKey = range.getStartKey();
            if (paginated && !metadata.getBookmark().isEmpty()) {
                startKey = metadata.getBookmark();
            }
            TransactionSimulator.RangeScan scan = simulator.rangeScan(ns(), startKey, range.getEndKey(),
                    paginated ? metadata.getPageSize() : 0);
            String id = UUID.randomUUID().toString();
            Query query = new Query(scan, () -> {
                KeyValue entry = scan.next();
                return entry == null ? null : KV.newBuilder().setNamespace(ns()).setKey(entry.key())
                        .setValue(entry.value().value()).build().toByteString();
            });
            queries.put(id, query);
            return response(request, build(id, query, paginated, limit).toByteString());
        }

        private ChaincodeMessage getHistoryForKey(ChaincodeMessage request) throws InvalidProtocolBufferException {
            GetHistoryForKey get = GetHistoryForKey.parseFrom(request.getPayload());
            Iterator<io.sandbox.devnet.peer.state.KeyModification> history;
            try {
                history = state.history(ns(), get.getKey());
            } catch (UnsupportedOperationException e) {
                throw new Unsupported(e.getMessage() == null ? "history database is not enabled" : e.getMessage());
            }
            String id = UUID.randomUUID().toString();
            Query query = new Query(null, () -> {
                if (!history.hasNext()) {
                    return null;
                }
                io.sandbox.devnet.peer.state.KeyModification entry = history.next();
                return KeyModification.newBuilder()
                        .setTxId(entry.txId())
                        .setValue(entry.value())
                        .setTimestamp(Timestamp.newBuilder().setSeconds(entry.timestamp().getEpochSecond())
                                .setNanos(entry.timestamp().getNano()))
                        .setIsDelete(entry.isDelete())
                        .build().toByteString();
            });
            queries.put(id, query);
            return response(request, build(id, query, false, totalReturnLimit(null)).toByteString());
        }

        private ChaincodeMessage queryStateNext(ChaincodeMessage request) throws InvalidProtocolBufferException {
            QueryStateNext next = QueryStateNext.parseFrom(request.getPayload());
            Query query = queries.get(next.getId());
            if (query == null) {
                throw new IllegalStateException("query iterator not found");
            }
            return response(request, build(next.getId(), query, false, totalReturnLimit(null)).toByteString());
        }

        private ChaincodeMessage queryStateClose(ChaincodeMessage request) throws InvalidProtocolBufferException {
            QueryStateClose close = QueryStateClose.parseFrom(request.getPayload());
            Query query = queries.remove(close.getId());
            if (query != null) {
                query.close();
            }
            return response(request, QueryResponse.newBuilder().setHasMore(false).setId(close.getId()).build()
                    .toByteString());
        }

        private int totalReturnLimit(QueryMetadata metadata) {
            int limit = totalQueryLimit;
            if (metadata != null && metadata.getPageSize() > 0 && metadata.getPageSize() < limit) {
                limit = metadata.getPageSize();
            }
            return limit;
        }

        /** Fabric's QueryResponseGenerator.BuildQueryResponse. */
        private QueryResponse build(String id, Query query, boolean paginated, int totalReturnLimit) {
            try {
                while (true) {
                    if (query.totalReturned >= totalReturnLimit) {
                        return finish(id, query, paginated);
                    }
                    ByteString result = query.next.get();
                    if (result == null) {
                        return finish(id, query, paginated);
                    }
                    if (!paginated && query.pending.size() == maxResultLimit) {
                        List<QueryResultBytes> batch = query.cut();
                        query.pending.add(QueryResultBytes.newBuilder().setResultBytes(result).build());
                        query.totalReturned++;
                        return QueryResponse.newBuilder().addAllResults(batch).setHasMore(true).setId(id).build();
                    }
                    query.pending.add(QueryResultBytes.newBuilder().setResultBytes(result).build());
                    query.totalReturned++;
                }
            } catch (RuntimeException e) {
                queries.remove(id);
                query.close();
                throw e;
            }
        }

        private QueryResponse finish(String id, Query query, boolean paginated) {
            List<QueryResultBytes> batch = query.cut();
            queries.remove(id);
            QueryResponse.Builder response = QueryResponse.newBuilder().addAllResults(batch).setHasMore(false)
                    .setId(id);
            if (paginated) {
                String bookmark = query.scan.bookmarkAndClose();
                response.setMetadata(QueryResponseMetadata.newBuilder()
                        .setFetchedRecordsCount(query.totalReturned)
                        .setBookmark(bookmark)
                        .build().toByteString());
            } else {
                query.close();
            }
            return response.build();
        }
    }

    private static final class Query {
        final TransactionSimulator.RangeScan scan;
        final Supplier<ByteString> next;
        final List<QueryResultBytes> pending = new ArrayList<>();
        int totalReturned;

        Query(TransactionSimulator.RangeScan scan, Supplier<ByteString> next) {
            this.scan = scan;
            this.next = next;
        }

        List<QueryResultBytes> cut() {
            List<QueryResultBytes> batch = List.copyOf(pending);
            pending.clear();
            return batch;
        }

        void close() {
            if (scan != null) {
                scan.close();
            }
        }
    }
}
