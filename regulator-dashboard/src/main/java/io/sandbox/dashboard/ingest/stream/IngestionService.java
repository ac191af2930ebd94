package io.sandbox.dashboard.ingest.stream;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.dashboard.ingest.config.IngestionConfig;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.dashboard.live.FeedItems;
import io.sandbox.dashboard.live.LiveFeed;
import io.sandbox.dashboard.rules.Surveillance;
import io.sandbox.dashboard.startup.StartupRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Runs ingestion: on start, when a network profile is configured, it discovers the regulator peer's channels
 * periodically and keeps one {@link ChannelWorker} per channel; on stop, it stops them all.
 */
@ApplicationScoped
public class IngestionService {

    private static final Logger LOG = Logger.getLogger(IngestionService.class);

    /** A channel as the live workers see it. */
    public record LiveChannel(String state, long peerHeight, String lastError) {
    }

    private final IngestionConfig config;
    private final LiveFeed feed;
    private final IngestStore store;
    private final MeterRegistry registry;
    private final Map<String, ChannelWorker> workers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile Thread discovery;
    private NetworkProfile profile;
    private BlockDecoder decoder;

    private final Surveillance surveillance;
    private final StartupRegistry startups;

    IngestionService(IngestionConfig config, AgroalDataSource dataSource, MeterRegistry registry, LiveFeed feed,
            Surveillance surveillance, StartupRegistry startups) {
        this.config = config;
        this.surveillance = surveillance;
        this.startups = startups;
        this.feed = feed;
        this.store = new IngestStore(dataSource);
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        if (config.profile().isEmpty()) {
            LOG.info("ingestion is off: no sandbox.fabric.profile configured");
            return;
        }
        String masterKey = config.masterKey().orElseThrow(() -> new IllegalStateException(
                "sandbox.fabric.master-key (SANDBOX_FABRIC_MASTER_KEY) is required with sandbox.fabric.profile"));
        profile = NetworkProfile.read(config.profile().get(), KeyVault.fromBase64MasterSecret(masterKey));
        startups.regulatorMsp(profile.regulatorMspId());
        decoder = new BlockDecoder(argumentKey(config.argumentKey(), masterKey));
        running = true;
        discovery = Thread.ofVirtual().name("ingest-discovery").start(this::discover);
        LOG.infof("ingestion on: regulator peer %s", profile.regulatorPeer().address());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        Thread t = discovery;
        if (t != null) {
            t.interrupt();
        }
        workers.values().forEach(ChannelWorker::stop);
    }

    /** Whether a network profile is configured. */
    public boolean enabled() {
        return profile != null;
    }

    /** What the workers know of {@code channel}, if one runs for it. */
    public Optional<LiveChannel> live(String channel) {
        ChannelWorker worker = workers.get(channel);
        return worker == null ? Optional.empty()
                : Optional.of(new LiveChannel(worker.state().name(), worker.peerHeight(), worker.lastError()));
    }

    private void discover() {
        PeerAdmin admin = null;
        while (running) {
            try {
                if (admin == null) {
                    admin = PeerAdmin.connect(profile.regulatorPeer(), profile.regulatorAdminIdentity());
                }
                for (String channel : admin.channels()) {
                    ChannelWorker worker = workers.computeIfAbsent(channel, this::newWorker);
                    worker.peerHeight(admin.chainInfo(channel).height());
                }
            } catch (RuntimeException e) {
                LOG.debugf("channel discovery failed, retrying: %s", e.getMessage());
                if (admin != null) {
                    close(admin);
                    admin = null;
                }
            }
            try {
                Thread.sleep(config.discoveryInterval());
            } catch (InterruptedException e) {
                break;
            }
        }
        if (admin != null) {
            close(admin);
        }
    }

    private ChannelWorker newWorker(String channel) {
        LOG.infof("ingesting channel %s", channel);
        ChannelWorker worker = new ChannelWorker(channel, profile, decoder, store, config.maxBlocksPerCommit(),
                config.backoffMin(), config.backoffMax(), registry, blocks -> feed.publish(FeedItems.of(blocks)),
                surveillance::open);
        worker.start();
        return worker;
    }

    private static void close(PeerAdmin admin) {
        try {
            admin.close();
        } catch (RuntimeException e) {
            LOG.debugf("closing the admin client failed: %s", e.getMessage());
        }
    }

    /** The configured argument key, or one derived from the master key (HMAC of a fixed label). */
    static byte[] argumentKey(Optional<String> configured, String masterKey) {
        if (configured.isPresent()) {
            return Base64.getDecoder().decode(configured.get().strip());
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(masterKey.strip()), "HmacSHA256"));
            return mac.doFinal("sandbox.ingestion.argument-digest/1".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
