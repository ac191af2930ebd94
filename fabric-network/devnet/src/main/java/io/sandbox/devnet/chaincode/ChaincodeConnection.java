package io.sandbox.devnet.chaincode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.hyperledger.fabric.protos.peer.ChaincodeGrpc;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * The peer's end of a chaincode-as-a-service connection: dials the chaincode's gRPC server, opens
 * {@code protos.Chaincode/Connect} and runs Fabric's handler handshake (core/chaincode/handler.go): the chaincode
 * sends {@code REGISTER} with its {@link ChaincodeID} (the package id, {@code label:hash}); the peer answers
 * {@code REGISTERED}, then {@code READY}, both without payload. Any other first message ends the stream, as
 * Fabric's "cannot handle message (...) while in created state".
 *
 * <p>Once ready, messages are routed by (channel id, transaction id) to the transaction registered under that
 * pair (Fabric's {@code TransactionContexts}); several transactions run concurrently on one stream. Requests
 * from the chaincode are served on their own threads, as Fabric serves each in a goroutine; {@code COMPLETED}
 * and {@code ERROR} complete the transaction; {@code KEEPALIVE} is ignored. A request for a transaction that is
 * not (or no longer) executing is answered with {@code ERROR}.
 *
 * <p>When the stream dies, every transaction in flight on it fails at once, and the next
 * {@link #ensureConnected()} (every execution calls it) dials again, as Fabric re-launches (re-dials) an external
 * chaincode whose handler has gone.
 */
public final class ChaincodeConnection implements AutoCloseable {

    /** How long to wait for the chaincode's REGISTER once the stream is open. */
    public static final Duration DEFAULT_REGISTRATION_TIMEOUT = Duration.ofSeconds(30);

    /** Fabric's gRPC message size limit for the chaincode stream (comm.MaxRecvMsgSize / MaxSendMsgSize). */
    static final int MAX_MESSAGE_SIZE = 100 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(ChaincodeConnection.class.getName());

    private final ConnectionInfo info;
    private final Duration registrationTimeout;
    private final String expectedChaincodeId;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private Session session;
    private boolean closed;
    private int sessions;

    private ChaincodeConnection(ConnectionInfo info, Duration registrationTimeout, String expectedChaincodeId) {
        this.info = Objects.requireNonNull(info, "info");
        this.registrationTimeout = Objects.requireNonNull(registrationTimeout, "registrationTimeout");
        this.expectedChaincodeId = expectedChaincodeId;
    }

    /** Dials and completes the handshake, accepting whatever chaincode id the chaincode registers. */
    public static ChaincodeConnection open(ConnectionInfo info) {
        return open(info, DEFAULT_REGISTRATION_TIMEOUT, null);
    }

    /**
     * Dials and completes the handshake.
     *
     * @param expectedChaincodeId the package id the chaincode must register with, or null for any
     * @throws ChaincodeException when the server cannot be reached within the dial timeout, or does not register
     */
    public static ChaincodeConnection open(ConnectionInfo info, Duration registrationTimeout,
            String expectedChaincodeId) {
        ChaincodeConnection connection = new ChaincodeConnection(info, registrationTimeout, expectedChaincodeId);
        connection.ensureConnected();
        return connection;
    }

    public ConnectionInfo info() {
        return info;
    }

    /** The chaincode id (package id) the chaincode registered with on the current stream. */
    public synchronized String chaincodeId() {
        return session == null ? null : session.chaincodeId;
    }

    /** Whether the stream is open and past the handshake. */
    public synchronized boolean isReady() {
        return session != null && session.isLive();
    }

    /** How many streams were opened so far (1 until a reconnection). */
    public synchronized int streamsOpened() {
        return sessions;
    }

    /** Dials and handshakes again if the stream is gone. */
    public synchronized void ensureConnected() {
        if (closed) {
            throw new ChaincodeException("connection to chaincode at " + info.address() + " is closed");
        }
        if (session != null && session.isLive()) {
            return;
        }
        session = dial();
        sessions++;
    }

    /**
     * Registers a transaction on the current stream. Fails when another transaction with the same channel and
     * transaction id is executing, as Fabric's {@code txid: <txid>(<channel>) exists}.
     */
    synchronized Registration register(String channelId, String txId, TransactionHandler handler) {
        ensureConnected();
        return session.register(channelId, txId, handler);
    }

    /** Ends the stream on purpose (tests: what happens when a chaincode stream dies). */
    synchronized void breakStream() {
        if (session != null) {
            session.cancel("stream broken on purpose");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (session != null) {
            session.shutdown();
            session = null;
        }
        executor.shutdown();
    }

    // ------------------------------------------------------------------------------------------ dialing

    private Session dial() {
        ManagedChannel channel = channel();
        try {
            awaitReady(channel);
            Session s = new Session(channel);
            // Not in the caller's gRPC Context: the first proposal's server call would cancel the shared stream when it ends.
            io.grpc.Context.ROOT.run(() -> ChaincodeGrpc.newStub(channel).connect(s));
            String id;
            try {
                id = s.registered.get(registrationTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                s.cancel("no REGISTER in time");
                throw new ChaincodeException("chaincode at " + info.address() + " did not register within "
                        + registrationTimeout);
            } catch (ExecutionException e) {
                throw new ChaincodeException("chaincode at " + info.address() + " failed to register: "
                        + e.getCause().getMessage(), e.getCause());
            }
            if (expectedChaincodeId != null && !expectedChaincodeId.equals(id)) {
                s.cancel("unexpected chaincode id");
                throw new ChaincodeException("chaincode at " + info.address() + " registered as '" + id
                        + "', expected '" + expectedChaincodeId + "'");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
            throw new ChaincodeException("interrupted while connecting to chaincode at " + info.address(), e);
        } catch (RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }

    private ManagedChannel channel() {
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(info.address())
                .maxInboundMessageSize(MAX_MESSAGE_SIZE);
        if (!info.tlsRequired()) {
            return builder.usePlaintext().build();
        }
        try {
            SslContextBuilder ssl = GrpcSslContexts.forClient()
                    .trustManager(certificates(info.rootCertPem()));
            if (info.clientAuthRequired()) {
                ssl.keyManager(privateKey(info.clientKeyPem()), certificates(info.clientCertPem()));
            }
            return builder.sslContext(ssl.build()).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new ChaincodeException("chaincode TLS configuration for " + info.address() + " is invalid: "
                    + e.getMessage(), e);
        }
    }

    private void awaitReady(ManagedChannel channel) throws InterruptedException {
        long deadline = System.nanoTime() + info.dialTimeout().toNanos();
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY) {
            long left = deadline - System.nanoTime();
            if (state == ConnectivityState.SHUTDOWN || left <= 0) {
                throw new ChaincodeException("error connecting to chaincode at " + info.address()
                        + ": context deadline exceeded (dial timeout " + info.dialTimeout() + ", last state "
                        + state + ")");
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            changed.await(left, TimeUnit.NANOSECONDS);
            state = channel.getState(true);
        }
    }

    static X509Certificate[] certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        return factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                .stream().map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
    }

    static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo keyInfo) {
                return converter.getPrivateKey(keyInfo);
            }
            throw new IOException("client_key is not an unencrypted PEM private key");
        }
    }

    // ------------------------------------------------------------------------------------------ one stream

    /** What the connection needs from an executing transaction. */
    interface TransactionHandler {

        /** A request of the chaincode (GET_STATE, PUT_STATE, ...); {@code reply} sends the answer. */
        void onRequest(ChaincodeMessage request, java.util.function.Consumer<ChaincodeMessage> reply);

        /** COMPLETED or ERROR. */
        void onDone(ChaincodeMessage message);

        /** The stream died under the transaction. */
        void onStreamTerminated(String reason);
    }

    /** A transaction's place on a stream: send to the chaincode, and deregister when done. */
    final class Registration implements AutoCloseable {
        private final Session session;
        private final TxKey key;

        private Registration(Session session, TxKey key) {
            this.session = session;
            this.key = key;
        }

        void send(ChaincodeMessage message) {
            session.send(message);
        }

        @Override
        public void close() {
            session.contexts.remove(key);
        }
    }

    private record TxKey(String channelId, String txId) {
    }

    private final class Session implements ClientResponseObserver<ChaincodeMessage, ChaincodeMessage> {
        private final ManagedChannel channel;
        private final CompletableFuture<String> registered = new CompletableFuture<>();
        private final Map<TxKey, TransactionHandler> contexts = new ConcurrentHashMap<>();
        private ClientCallStreamObserver<ChaincodeMessage> outbound;
        private volatile String chaincodeId;
        private volatile String terminated;

        Session(ManagedChannel channel) {
            this.channel = channel;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<ChaincodeMessage> requestStream) {
            this.outbound = requestStream;
        }

        boolean isLive() {
            return terminated == null && registered.isDone() && !registered.isCompletedExceptionally();
        }

        Registration register(String channelId, String txId, TransactionHandler handler) {
            TxKey key = new TxKey(channelId, txId);
            if (contexts.putIfAbsent(key, handler) != null) {
                throw new ChaincodeException("txid: " + txId + "(" + channelId + ") exists");
            }
            if (terminated != null) {
                contexts.remove(key);
                throw new ChaincodeException("chaincode stream terminated: " + terminated);
            }
            return new Registration(this, key);
        }

        void send(ChaincodeMessage message) {
            synchronized (this) {
                if (terminated != null) {
                    throw new ChaincodeException("chaincode stream terminated: " + terminated);
                }
                outbound.onNext(message);
            }
        }

        @Override
        public void onNext(ChaincodeMessage message) {
            if (!registered.isDone()) {
                handshake(message);
                return;
            }
            switch (message.getType()) {
                case KEEPALIVE -> {
                }
                case COMPLETED, ERROR -> {
                    TransactionHandler handler = contexts.get(new TxKey(message.getChannelId(), message.getTxid()));
                    if (handler == null) {
                        LOG.fine(() -> "notifier Txid:" + message.getTxid() + ", channelID:" + message.getChannelId()
                                + " does not exist for handling message " + message.getType());
                    } else {
                        handler.onDone(message);
                    }
                }
                default -> executor.execute(() -> serve(message));
            }
        }

        private void serve(ChaincodeMessage request) {
            TxKey key = new TxKey(request.getChannelId(), request.getTxid());
            TransactionHandler handler = contexts.get(key);
            if (handler == null) {
                try {
                    send(ChaincodeRuntime.error(request, request.getType() + " failed: transaction ID: "
                            + request.getTxid() + ": no ledger context"));
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "could not answer a request of an unknown transaction", e);
                }
                return;
            }
            handler.onRequest(request, this::send);
        }

        private void handshake(ChaincodeMessage message) {
            if (message.getType() != ChaincodeMessage.Type.REGISTER) {
                String error = "[" + message.getTxid() + "] Fabric side handler cannot handle message ("
                        + message.getType() + ") while in created state";
                registered.completeExceptionally(new ChaincodeException(error));
                cancel(error);
                return;
            }
            ChaincodeID id;
            try {
                id = ChaincodeID.parseFrom(message.getPayload());
            } catch (InvalidProtocolBufferException e) {
                registered.completeExceptionally(new ChaincodeException("error in received REGISTER, could NOT"
                        + " unmarshal registration info: " + e.getMessage()));
                cancel("bad REGISTER");
                return;
            }
            if (id.getName().isEmpty()) {
                registered.completeExceptionally(new ChaincodeException("REGISTER carries no chaincode id"));
                cancel("bad REGISTER");
                return;
            }
            chaincodeId = id.getName();
            try {
                send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build());
                send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build());
            } catch (RuntimeException e) {
                registered.completeExceptionally(e);
                return;
            }
            registered.complete(chaincodeId);
        }

        @Override
        public void onError(Throwable t) {
            terminate("chaincode stream failed: " + Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            terminate("chaincode closed the stream");
            synchronized (this) {
                try {
                    outbound.onCompleted();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
        }

        void cancel(String reason) {
            synchronized (this) {
                if (outbound != null) {
                    outbound.cancel(reason, null);
                }
            }
            terminate(reason);
        }

        void shutdown() {
            synchronized (this) {
                if (terminated == null && outbound != null) {
                    try {
                        outbound.onCompleted();
                    } catch (RuntimeException ignored) {
                        // already closed
                    }
                }
            }
            terminate("connection closed");
            channel.shutdown();
            try {
                if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.shutdownNow();
            }
        }

        private void terminate(String reason) {
            synchronized (this) {
                if (terminated != null) {
                    return;
                }
                terminated = reason;
            }
            registered.completeExceptionally(new ChaincodeException(reason));
            contexts.values().forEach(handler -> handler.onStreamTerminated(reason));
            contexts.clear();
            channel.shutdown();
        }
    }
}
