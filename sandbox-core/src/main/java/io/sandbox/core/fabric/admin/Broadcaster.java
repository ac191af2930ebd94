package io.sandbox.core.fabric.admin;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/**
 * Sends one envelope over an orderer's {@code AtomicBroadcast.Broadcast} stream and returns the orderer's
 * answer. Callers map failures to their own stage's error (the admin client's {@link BroadcastException}, a
 * gateway's gRPC status).
 */
public final class Broadcaster {

    private Broadcaster() {
    }

    /**
     * Sends {@code envelope} as {@link #sendOne} does, for the admin client: anything but {@code SUCCESS}, a stream
     * failure, a timeout or an interrupt is a {@link BroadcastException} about {@code what}.
     */
    static void submit(Channel orderer, Envelope envelope, Duration timeout, String what) {
        BroadcastResponse response;
        try {
            response = sendOne(orderer, envelope, timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String status = cause instanceof StatusRuntimeException s ? s.getStatus().getCode().name() : "FAILED";
            throw new BroadcastException(what, status, cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new BroadcastException(what, "TIMEOUT", "no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BroadcastException(what, "INTERRUPTED", "interrupted", e);
        } catch (StatusRuntimeException e) {
            throw new BroadcastException(what, e.getStatus().getCode().name(), e.getStatus().getDescription(), e);
        }
        if (response.getStatus() != Status.SUCCESS) {
            throw new BroadcastException(what, response.getStatus().name(), response.getInfo(), null);
        }
    }

    /**
     * @throws ExecutionException the stream failed (its cause is the gRPC error) or closed without an answer
     * @throws TimeoutException no answer within {@code timeout}; the stream is cancelled
     */
    public static BroadcastResponse sendOne(Channel orderer, Envelope envelope, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        CompletableFuture<BroadcastResponse> answer = new CompletableFuture<>();
        StreamObserver<Envelope> requests = AtomicBroadcastGrpc.newStub(orderer)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .broadcast(new StreamObserver<>() {
                    @Override
                    public void onNext(BroadcastResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("stream closed without a response"));
                    }
                });
        try {
            requests.onNext(envelope);
            BroadcastResponse response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            requests.onCompleted();
            return response;
        } catch (TimeoutException | InterruptedException e) {
            requests.onError(io.grpc.Status.CANCELLED.withDescription("no answer from the orderer").asRuntimeException());
            throw e;
        }
    }
}
