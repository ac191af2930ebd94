package io.sandbox.dashboard.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

/** The feed's per-client bound: a client that stops reading costs at most its buffer, and is told what it lost. */
class LiveFeedTest {

    @Test
    void aStalledClientKeepsOnlyItsNewestItemsAndLearnsHowManyItLost() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LiveFeed feed = new LiveFeed(new ObjectMapper().registerModule(new JavaTimeModule()), registry);
        StalledSink sink = new StalledSink();
        feed.attach(sink, SseImpl.INSTANCE, null);
        sink.release(1); // the greeting comment
        awaitSent(sink, 1);

        int published = 4 * LiveFeed.CLIENT_BUFFER;
        feed.publish(IntStream.range(0, published).mapToObj(LiveFeedTest::item).toList());
        assertThat(registry.get("sandbox.feed.buffered").gauge().value()).isLessThanOrEqualTo(LiveFeed.CLIENT_BUFFER);

        sink.release(10_000);
        awaitLast(sink, "tx-" + (published - 1));
        List<OutboundSseEvent> events = List.copyOf(sink.sent);
        List<String> txIds = events.stream().filter(e -> "tx".equals(e.getName())).map(OutboundSseEvent::getId).toList();
        // one gap event, or several when the writer caught up while the items were still arriving
        long dropped = events.stream().filter(e -> "gap".equals(e.getName()))
                .mapToLong(gap -> Long.parseLong(((String) gap.getData()).replaceAll("\\D", ""))).sum();
        assertThat(dropped).isPositive();
        assertThat(txIds).hasSizeLessThanOrEqualTo(LiveFeed.CLIENT_BUFFER + 2);

        assertThat(txIds).endsWith("tx-" + (published - 1));
        assertThat(txIds.size() + dropped).isEqualTo(published);
        assertThat(registry.get("sandbox.feed.dropped").counter().count()).isEqualTo(dropped);
        assertThat(registry.get("sandbox.feed.buffered").gauge().value()).isZero();
        feed.stop(null);
    }

    @Test
    void aChannelFilterPassesOnlyThatChannel() throws Exception {
        LiveFeed feed = new LiveFeed(new ObjectMapper().registerModule(new JavaTimeModule()), new SimpleMeterRegistry());
        StalledSink sink = new StalledSink();
        sink.release(100);
        feed.attach(sink, SseImpl.INSTANCE, "sandbox-b");
        feed.publish(List.of(item(1), itemOn("sandbox-b", 2), item(3)));
        awaitSent(sink, 2);
        assertThat(sink.sent.stream().filter(e -> "tx".equals(e.getName())).map(OutboundSseEvent::getId))
                .containsExactly("tx-2");
        feed.stop(null);
    }

    private static FeedItem item(int i) {
        return itemOn("sandbox-a", i);
    }

    private static FeedItem itemOn(String channel, int i) {
        return new FeedItem(channel, 7, "tx-" + i, Instant.EPOCH, "AMSP", "sandbox", "payment", "VALID",
                "PAYMENT", "10.00", "EUR", Instant.EPOCH);
    }

    private static void awaitLast(StalledSink sink, String txId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sink.sent.stream().noneMatch(e -> txId.equals(e.getId())) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sink.sent).anyMatch(e -> txId.equals(e.getId()));
    }

    private static void awaitSent(StalledSink sink, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sink.sent.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sink.sent).hasSizeGreaterThanOrEqualTo(count);
    }

    /** A client that takes an event only when the test releases it, like a browser that stopped reading. */
    private static final class StalledSink implements SseEventSink {
        final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();
        private final Semaphore permits = new Semaphore(0);
        private volatile boolean closed;

        void release(int n) {
            permits.release(n);
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            return CompletableFuture.runAsync(() -> {
                permits.acquireUninterruptibly();
                sent.add(event);
            });
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
