package io.sandbox.core.fabric.channel;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, immutable description of an application channel, as configtxgen would build it for the orderer
 * channel-participation API (no system channel, no consortium). {@link GenesisBlockBuilder} turns it into
 * the genesis config block.
 *
 * <p>Certificates are PEM bytes, as configtxgen embeds them (it reads the MSP directory's PEM files as-is).
 * Group keys ({@code name} of each org) follow Fabric's config id rule {@code [a-zA-Z0-9.-]+}; the channel
 * id follows {@code [a-z][a-z0-9.-]*}, both at most 249 characters ({@code common/configtx/validator.go}).
 *
 * @param channelId the channel name
 * @param ordererOrg the ordering organisation and its etcdraft consenters
 * @param applicationOrgs the member organisations, in the order they are listed
 * @param governorMspId MSP id of the application org whose admins alone govern the channel (the regulator);
 *     see {@link GenesisBlockBuilder} and {@code docs/fabric-channel-governance.md}
 * @param lockMemberOrgs when true, non-governor org groups (MSP, policies, the group itself) are modifiable
 *     only by the governor; their own admins keep only their AnchorPeers value
 * @param batch orderer batch settings
 * @param raftOptions etcdraft tuning options
 * @param capabilities channel, orderer and application capabilities
 * @param acls application ACLs: resource name to policy path
 */
public record ChannelDescription(
        String channelId,
        OrdererOrg ordererOrg,
        List<ApplicationOrg> applicationOrgs,
        String governorMspId,
        boolean lockMemberOrgs,
        BatchSettings batch,
        RaftOptions raftOptions,
        Capabilities capabilities,
        Map<String, String> acls) {

    private static final Pattern CHANNEL_ID = Pattern.compile("[a-z][a-z0-9.-]*");
    private static final Pattern CONFIG_ID = Pattern.compile("[a-zA-Z0-9.-]+");
    private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9._-]+");

    public ChannelDescription {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(ordererOrg, "ordererOrg");
        Objects.requireNonNull(governorMspId, "governorMspId");
        applicationOrgs = List.copyOf(applicationOrgs);
        batch = batch == null ? BatchSettings.defaults() : batch;
        raftOptions = raftOptions == null ? RaftOptions.defaults() : raftOptions;
        capabilities = capabilities == null ? Capabilities.v2_0() : capabilities;
        acls = Map.copyOf(acls == null ? DefaultAcls.SAMPLE : acls);

        if (channelId.length() > 249 || !CHANNEL_ID.matcher(channelId).matches()) {
            throw new IllegalArgumentException("channel id must match [a-z][a-z0-9.-]* and be at most 249 characters: " + channelId);
        }
        if (applicationOrgs.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one application organisation");
        }
        Set<String> names = new HashSet<>();
        Set<String> mspIds = new HashSet<>();
        mspIds.add(ordererOrg.msp().mspId());
        for (ApplicationOrg org : applicationOrgs) {
            if (!mspIds.add(org.msp().mspId())) {
                throw new IllegalArgumentException("duplicate MSP id " + org.msp().mspId());
            }
            if (!names.add(org.name())) {
                throw new IllegalArgumentException("duplicate application organisation name " + org.name());
            }
        }
        if (applicationOrgs.stream().noneMatch(org -> org.msp().mspId().equals(governorMspId))) {
            throw new IllegalArgumentException("governor " + governorMspId + " is not one of the application organisations");
        }
    }

    /** The governor's application org. */
    public ApplicationOrg governor() {
        return applicationOrgs.stream()
                .filter(org -> org.msp().mspId().equals(governorMspId))
                .findFirst()
                .orElseThrow();
    }

    static void checkConfigId(String what, String id) {
        Objects.requireNonNull(id, what);
        if (id.length() > 249 || !CONFIG_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException(what + " must match [a-zA-Z0-9.-]+ (at most 249 characters): " + id);
        }
    }

    /**
     * An organisation's MSP as it appears in {@code FabricMSPConfig}.
     *
     * @param mspId MSP identifier, used in policy principals ({@code <mspId>.admin})
     * @param rootCerts CA root certificates (PEM)
     * @param tlsRootCerts TLS CA root certificates (PEM)
     * @param nodeOus NodeOU classification; required for the role-based policies this builder writes
     */
    public record Msp(String mspId, List<ByteString> rootCerts, List<ByteString> tlsRootCerts, NodeOus nodeOus) {
        public Msp {
            Objects.requireNonNull(mspId, "mspId");
            if (!MSP_ID.matcher(mspId).matches()) {
                throw new IllegalArgumentException("MSP id must match [A-Za-z0-9._-]+: " + mspId);
            }
            rootCerts = List.copyOf(rootCerts);
            tlsRootCerts = List.copyOf(tlsRootCerts == null ? List.of() : tlsRootCerts);
            nodeOus = nodeOus == null ? NodeOus.standard() : nodeOus;
            if (rootCerts.isEmpty()) {
                throw new IllegalArgumentException("MSP " + mspId + " needs at least one root certificate");
            }
        }
    }

    /**
     * The NodeOUs section of an MSP's config.yaml. Identifiers are the OU values; certificates are optional
     * (empty means "any of the MSP's CAs", as when config.yaml names none).
     */
    public record NodeOus(
            boolean enable,
            String clientOu,
            String peerOu,
            String adminOu,
            String ordererOu,
            ByteString certificate) {
        public NodeOus {
            certificate = certificate == null ? ByteString.EMPTY : certificate;
        }

        /** The cryptogen / Fabric CA layout: OUs client, peer, admin, orderer. */
        public static NodeOus standard() {
            return new NodeOus(true, "client", "peer", "admin", "orderer", ByteString.EMPTY);
        }

        public NodeOus withCertificate(ByteString caCertificate) {
            return new NodeOus(enable, clientOu, peerOu, adminOu, ordererOu, caCertificate);
        }
    }

    /**
     * The ordering organisation.
     *
     * @param name group key under {@code /Channel/Orderer}
     * @param msp its MSP
     * @param endpoints orderer endpoints {@code host:port}, written as the org's {@code Endpoints} value
     * @param consenters the etcdraft consenter set
     */
    public record OrdererOrg(String name, Msp msp, List<String> endpoints, List<Consenter> consenters) {
        public OrdererOrg {
            checkConfigId("orderer org name", name);
            Objects.requireNonNull(msp, "msp");
            endpoints = List.copyOf(endpoints);
            consenters = List.copyOf(consenters);
            if (consenters.isEmpty()) {
                throw new IllegalArgumentException("etcdraft needs at least one consenter");
            }
        }
    }

    /** An etcdraft consenter: the orderer's cluster address and its TLS certificates (PEM). */
    public record Consenter(String host, int port, ByteString clientTlsCert, ByteString serverTlsCert) {
        public Consenter {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clientTlsCert, "clientTlsCert");
            Objects.requireNonNull(serverTlsCert, "serverTlsCert");
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("invalid port " + port);
            }
        }
    }

    /**
     * A member organisation.
     *
     * @param name group key under {@code /Channel/Application}
     * @param msp its MSP
     * @param anchorPeers anchor peers; the AnchorPeers value is omitted when empty, as configtxgen does
     */
    public record ApplicationOrg(String name, Msp msp, List<AnchorPeer> anchorPeers) {
        public ApplicationOrg {
            checkConfigId("application org name", name);
            Objects.requireNonNull(msp, "msp");
            anchorPeers = List.copyOf(anchorPeers == null ? List.of() : anchorPeers);
        }
    }

    public record AnchorPeer(String host, int port) {
        public AnchorPeer {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * Orderer batching. Sizes are bytes; Fabric stores them as uint32.
     */
    public record BatchSettings(Duration batchTimeout, int maxMessageCount, int absoluteMaxBytes, int preferredMaxBytes) {
        public BatchSettings {
            Objects.requireNonNull(batchTimeout, "batchTimeout");
            if (batchTimeout.isNegative() || batchTimeout.isZero()) {
                throw new IllegalArgumentException("batch timeout must be positive");
            }
            if (maxMessageCount <= 0 || absoluteMaxBytes <= 0 || preferredMaxBytes <= 0 || preferredMaxBytes > absoluteMaxBytes) {
                throw new IllegalArgumentException("batch sizes must be positive and preferredMaxBytes <= absoluteMaxBytes");
            }
        }

        /** sampleconfig/configtx.yaml: 2s, 500 messages, 10 MB absolute, 2 MB preferred. */
        public static BatchSettings defaults() {
            return new BatchSettings(Duration.ofSeconds(2), 500, 10 * 1024 * 1024, 2 * 1024 * 1024);
        }
    }

    /** etcdraft {@code Options}; tickInterval in Go duration syntax (e.g. {@code 500ms}). */
    public record RaftOptions(String tickInterval, int electionTick, int heartbeatTick, int maxInflightBlocks, int snapshotIntervalSize) {
        public RaftOptions {
            Objects.requireNonNull(tickInterval, "tickInterval");
        }

        /** sampleconfig/configtx.yaml: 500ms, 10, 1, 5, 16 MB. */
        public static RaftOptions defaults() {
            return new RaftOptions("500ms", 10, 1, 5, 16 * 1024 * 1024);
        }
    }

    /** Capability names per level, e.g. {@code V2_0}. */
    public record Capabilities(Set<String> channel, Set<String> orderer, Set<String> application) {
        public Capabilities {
            channel = Set.copyOf(channel);
            orderer = Set.copyOf(orderer);
            application = Set.copyOf(application);
        }

        public static Capabilities v2_0() {
            return new Capabilities(Set.of("V2_0"), Set.of("V2_0"), Set.of("V2_0"));
        }
    }
}
