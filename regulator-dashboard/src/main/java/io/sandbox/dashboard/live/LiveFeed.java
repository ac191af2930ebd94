package io.sandbox.dashboard.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Fans committed transactions out to server-sent-event clients. Each client has its own bounded buffer of
 * {@link #CLIENT_BUFFER} items and its own writer: a slow client loses its oldest items (and is told how many, in
 * a {@code gap} event) rather than growing memory or slowing ingestion or other clients.
 */
@ApplicationScoped
public class LiveFeed {

    /**
     * Items buffered per client before the oldest are dropped: two full blocks (Fabric's default MaxMessageCount is
     * 500), since a block's transactions arrive at once; with 256, a client that kept up at 500 tx/s still lost 5 %.
     */
    public static final int CLIENT_BUFFER = 1024;

    private static final Logger LOG = Logger.getLogger(LiveFeed.class);
    private static final long HEARTBEAT_MILLIS = 15_000;
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json;
    private final Counter dropped;
    private final AtomicInteger buffered = new AtomicInteger();

    LiveFeed(ObjectMapper json, MeterRegistry registry) {
        this.json = json;
        this.dropped = Counter.builder("sandbox.feed.dropped")
                .description("Live feed items dropped for clients too slow to take them").register(registry);
        registry.gauge("sandbox.feed.clients", clients, Set::size);
        registry.gauge("sandbox.feed.buffered", buffered);
    }

    /** A named event other than a transaction, e.g. {@code alert} or {@code risk}; {@code channel} may be null. */
    public record Event(String name, String id, String channel, Object data) {
    }

    /** Hands an event (a new alert, a risk update) to every subscribed client; never blocks. */
    public void publish(Event event) {
        for (Client client : clients) {
            client.offer(event);
        }
    }

    /** Hands committed transactions to every subscribed client; never blocks. */
    public void publish(List<FeedItem> items) {
        for (Client client : clients) {
            for (FeedItem item : items) {
                client.offer(item);
            }
        }
    }

    /** Streams to {@code sink} until the client goes away; {@code channel} limits the feed to one channel. */
    public void attach(SseEventSink sink, Sse sse, String channel) {
        // The first event goes out on the request's own thread, so the response head is written before the resource
        // method returns: written by the client's thread instead, it raced the framework's own initial response
        // ("Response head already sent") and the stream failed.
        sink.send(sse.newEventBuilder().comment("sandbox live feed").build());
        Client client = new Client(sink, sse, channel);
        clients.add(client);
        Thread.ofVirtual().name("live-feed-client").start(client::run);
    }

    /** The number of connected clients. */
    public int clientCount() {
        return clients.size();
    }

    void stop(@Observes ShutdownEvent event) {
        clients.forEach(Client::close);
    }

    private final class Client {
        private final SseEventSink sink;
        private final Sse sse;
        private final String channel;
        private final ArrayDeque<Object> queue = new ArrayDeque<>();
        private long lost;
        private boolean closed;

        Client(SseEventSink sink, Sse sse, String channel) {
            this.sink = sink;
            this.sse = sse;
            this.channel = channel;
        }

        synchronized void offer(Object item) {
            String of = item instanceof FeedItem f ? f.channel() : ((Event) item).channel();
            if (closed || channel != null && of != null && !channel.equals(of)) {
                return;
            }
            if (queue.size() == CLIENT_BUFFER) {
                queue.pollFirst();
                lost++;
                dropped.increment();
            } else {
                buffered.incrementAndGet();
            }
            queue.addLast(item);
            notifyAll();
        }

        /** Waits for the next item (or a heartbeat's due time); returns null for a heartbeat. */
        private synchronized Object next() throws InterruptedException {
            long deadline = System.currentTimeMillis() + HEARTBEAT_MILLIS;
            while (queue.isEmpty() && lost == 0 && !closed) {
                long wait = deadline - System.currentTimeMillis();
                if (wait <= 0) {
                    return null;
                }
                wait(wait);
            }
            if (closed) {
                throw new InterruptedException("closed");
            }
            if (lost > 0) {
                long gap = lost;
                lost = 0;
                return gap;
            }
            buffered.decrementAndGet();
            return queue.pollFirst();
        }

        void run() {
            try {
                while (!sink.isClosed()) {
                    Object next = next();
                    if (next == null) {
                        send(sse.newEventBuilder().comment("heartbeat").build());
                    } else if (next instanceof Long gap) {
                        send(sse.newEventBuilder().name("gap").data("{\"dropped\":" + gap + "}").build());
                    } else if (next instanceof Event event) {
                        OutboundSseEvent.Builder builder = sse.newEventBuilder().name(event.name())
                                .data(json.writeValueAsString(event.data()));
                        send((event.id() == null ? builder : builder.id(event.id())).build());
                    } else {
                        FeedItem item = (FeedItem) next;
                        send(sse.newEventBuilder().name("tx").id(item.txId()).data(json.writeValueAsString(item)).build());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debugf("live feed client gone: %s", e.toString());
            } finally {
                close();
            }
        }

        private void send(OutboundSseEvent event) throws Exception {
            sink.send(event).toCompletableFuture().get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                buffered.addAndGet(-queue.size());
                queue.clear();
                notifyAll();
                clients.remove(this);
                try {
                    sink.close();
                } catch (RuntimeException ignored) {
                    // already gone
                }
            }
        }
    }
}
