package io.sandbox.devnet;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.admin.OrdererEndpoint;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.devnet.orderer.OrdererConfig;
import io.sandbox.devnet.orderer.OrdererNode;
import io.sandbox.devnet.peer.PeerConfig;
import io.sandbox.devnet.peer.PeerNode;
import io.sandbox.devnet.peer.endorsement.ChaincodeEndorser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The devnet as one unit: an orderer of the operator organisation {@code OrdererMSP}, the regulator's peer
 * ({@code RegulatorMSP}) and any number of startup peers added at run time, all in this JVM, each on its own TLS port,
 * every peer able to endorse through the others (as gateway peers).
 *
 * <p>Everything lives under one home directory, so a restart serves the same ledgers, world state and identities on
 * the same ports:
 * <pre>
 *   organisations/&lt;mspId&gt;.json   each organisation's material, private keys sealed by the key vault
 *   ports.properties             the ports first chosen, reused on restart
 *   orderer/, peers/&lt;mspId&gt;/   ledgers
 *   network.json                 the {@link NetworkProfile} the platform connects with (written at every start)
 * </pre>
 *
 * <p>Besides Fabric's protocols it serves a control API ({@link DevnetControl}) through which the platform starts a
 * startup's peer from another process.
 *
 * {@snippet :
 * try (Devnet devnet = Devnet.start(home, vault)) {
 *     NetworkProfile network = devnet.profile();
 *     // create channels with SandboxChannels, transact with fabric-gateway against network.regulatorPeer()
 * }
 * }
 */
public final class Devnet implements AutoCloseable {

    /** The operator's orderer organisation. */
    public static final String ORDERER_MSP = "OrdererMSP";

    /** The regulator's organisation. */
    public static final String REGULATOR_MSP = "RegulatorMSP";

    /** The profile file under the home directory. */
    public static final String PROFILE_FILE = "network.json";

    private static final String HOST = "127.0.0.1";

    private final Path home;
    private final KeyVault vault;
    private final ChaincodeHost chaincodeHost;
    private final Map<String, byte[]> chaincodePackages = new java.util.concurrent.ConcurrentHashMap<>();
    private final Properties ports;
    private final OrganisationMaterial ordererOrg;
    private final OrganisationMaterial regulator;
    private final OrdererNode orderer;
    private final Map<String, StartedPeer> peers = new LinkedHashMap<>();
    private final DevnetControl control;
    private final NetworkProfile profile;

    private record StartedPeer(OrganisationMaterial org, PeerNode node, ChaincodeEndorser endorser) {
        PeerEndpoint endpoint() {
            return new PeerEndpoint(node.config().host(), node.port(), List.of(org.tlsCa().certificate()), org.mspId());
        }
    }

    private Devnet(Path home, KeyVault vault, ChaincodeHost chaincodeHost) {
        this.home = home;
        this.vault = vault;
        this.chaincodeHost = chaincodeHost;
        this.ports = loadPorts();
        this.ordererOrg = organisation(OrganisationSpec.ordererOrganisation(ORDERER_MSP, "orderer.sandbox.local", "orderer0"));
        this.regulator = organisation(OrganisationSpec.peerOrganisation(REGULATOR_MSP, "regulator.sandbox.local", "peer0"));
        FabricIdentity node = ordererOrg.orderers().get(0);
        this.orderer = OrdererNode.start(OrdererConfig.of(home.resolve("orderer"), node,
                List.of(ordererOrg.tlsCa().certificate()))
                .withPorts(port("orderer.grpc"), port("orderer.admin")));
        ports.setProperty("orderer.grpc", Integer.toString(orderer.grpcPort()));
        ports.setProperty("orderer.admin", Integer.toString(orderer.adminPort()));
        startPeer(regulator);
        for (String mspId : ports.stringPropertyNames().stream().filter(k -> k.startsWith("peer.")).sorted().toList()) {
            String msp = mspId.substring("peer.".length());
            if (!peers.containsKey(msp)) {
                startPeer(readOrganisation(msp));
            }
        }
        this.control = DevnetControl.start(this, vault, HOST, port("control"), ordererOrg);
        ports.setProperty("control", Integer.toString(control.port()));
        savePorts();
        this.profile = buildProfile();
        profile.write(home.resolve(PROFILE_FILE), vault);
    }

    /**
     * Starts the devnet in {@code home}, creating the orderer and regulator organisations on the first start and
     * restarting every peer added before.
     *
     * @param vault seals the private keys stored under {@code home}; the same master secret is needed on restart
     */
    public static Devnet start(Path home, KeyVault vault) {
        return start(home, vault, ChaincodeHost.NONE);
    }

    /**
     * Starts the devnet as {@link #start(Path, KeyVault)} does, with a chaincode server next to every peer.
     *
     * @param chaincodeHost starts each organisation's chaincode server once its peer is up
     */
    public static Devnet start(Path home, KeyVault vault, ChaincodeHost chaincodeHost) {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(chaincodeHost, "chaincodeHost");
        try {
            Files.createDirectories(home.resolve("organisations"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create devnet home " + home, e);
        }
        return new Devnet(home, vault, chaincodeHost);
    }

    /** How the platform connects: orderer, regulator peer, admin and client identities. */
    public NetworkProfile profile() {
        return profile;
    }

    /** The orderer organisation's material (its admin is the operator). */
    public OrganisationMaterial ordererOrganisation() {
        return ordererOrg;
    }

    /** The regulator organisation's material. */
    public OrganisationMaterial regulatorOrganisation() {
        return regulator;
    }

    /**
     * Starts (or, when it runs already, returns) the peer of an organisation's first peer identity, stores the
     * organisation's material sealed under the home directory so that a restart brings the peer back, and makes every
     * peer a gateway peer of every other.
     *
     * @return how to reach the peer
     */
    public synchronized PeerEndpoint startPeer(OrganisationMaterial org) {
        Objects.requireNonNull(org, "org");
        StartedPeer running = peers.get(org.mspId());
        if (running != null) {
            return running.endpoint();
        }
        if (org.peers().isEmpty()) {
            throw new IllegalArgumentException(org.mspId() + " has no peer identity");
        }
        writeOrganisation(org);
        String key = "peer." + org.mspId();
        PeerNode node = PeerNode.start(PeerConfig.of(home.resolve("peers").resolve(org.mspId()), org.peers().get(0),
                List.of(org.signingCa().certificate()), orderer.grpcEndpoint(), List.of(ordererOrg.tlsCa().certificate()))
                .withPort(port(key)));
        ports.setProperty(key, Integer.toString(node.port()));
        savePorts();
        StartedPeer started = new StartedPeer(org, node, ChaincodeEndorser.attach(node));
        for (StartedPeer other : peers.values()) {
            other.node().gatewayPeers().add(node, List.of(org.tlsCa().certificate()));
            node.gatewayPeers().add(other.node(), List.of(other.org().tlsCa().certificate()));
        }
        peers.put(org.mspId(), started);
        chaincodeHost.peerStarted(org).ifPresent(pkg -> chaincodePackages.put(org.mspId(), pkg));
        return started.endpoint();
    }

    /** The CCaaS package of the organisation's chaincode server, when the {@link ChaincodeHost} runs one. */
    public Optional<byte[]> chaincodePackage(String mspId) {
        return Optional.ofNullable(chaincodePackages.get(mspId));
    }

    /** The running peer of an organisation. */
    public synchronized PeerEndpoint peer(String mspId) {
        StartedPeer peer = peers.get(mspId);
        if (peer == null) {
            throw new IllegalArgumentException("no devnet peer of " + mspId);
        }
        return peer.endpoint();
    }

    /** The organisations with a peer here, regulator first. */
    public synchronized List<String> peerOrganisations() {
        return List.copyOf(peers.keySet());
    }

    /** The stored material of an organisation with a peer here. */
    public synchronized OrganisationMaterial organisation(String mspId) {
        StartedPeer peer = peers.get(mspId);
        if (peer == null) {
            throw new IllegalArgumentException("no devnet peer of " + mspId);
        }
        return peer.org();
    }

    /** Stops the control API, every peer, then the orderer. */
    @Override
    public synchronized void close() {
        control.close();
        List<StartedPeer> started = new ArrayList<>(peers.values());
        java.util.Collections.reverse(started);
        for (StartedPeer peer : started) {
            peer.endorser().close();
            peer.node().close();
        }
        peers.clear();
        orderer.close();
    }

    private NetworkProfile buildProfile() {
        FabricIdentity node = ordererOrg.orderers().get(0);
        ByteString tls = ByteString.copyFromUtf8(node.tls().certificatePem());
        OrdererOrg org = new OrdererOrg("OrdererOrg", SandboxChannels.mspOf(ordererOrg), List.of(orderer.grpcEndpoint()),
                List.of(new Consenter(node.name(), orderer.grpcPort(), tls, tls)));
        OrdererEndpoint endpoint = new OrdererEndpoint(HOST, orderer.grpcPort(), orderer.adminPort(),
                List.of(ordererOrg.tlsCa().certificate()), ordererOrg.admin().tls());
        return new NetworkProfile(endpoint, org, SandboxChannels.mspOf(regulator), peers.get(REGULATOR_MSP).endpoint(),
                regulator.admin().signing(), regulator.user().signing(),
                java.net.URI.create("https://" + HOST + ":" + control.port() + DevnetControl.PEERS));
    }

    private OrganisationMaterial organisation(OrganisationSpec spec) {
        if (Files.exists(organisationFile(spec.mspId()))) {
            return readOrganisation(spec.mspId());
        }
        OrganisationMaterial generated = OrganisationMaterial.generate(spec);
        writeOrganisation(generated);
        return generated;
    }

    private Path organisationFile(String mspId) {
        return home.resolve("organisations").resolve(mspId + ".json");
    }

    private OrganisationMaterial readOrganisation(String mspId) {
        try {
            return SealedOrganisation.open(Files.readString(organisationFile(mspId), StandardCharsets.UTF_8), vault);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the material of " + mspId, e);
        }
    }

    private void writeOrganisation(OrganisationMaterial org) {
        Path file = organisationFile(org.mspId());
        if (!Files.exists(file)) {
            writeAtomically(file, SealedOrganisation.seal(org, vault));
        }
    }

    private int port(String key) {
        return Integer.parseInt(ports.getProperty(key, "0"));
    }

    private Properties loadPorts() {
        Properties loaded = new Properties();
        Path file = home.resolve("ports.properties");
        if (Files.exists(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                loaded.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return loaded;
    }

    private void savePorts() {
        var text = new java.io.StringWriter();
        try {
            ports.store(text, "devnet ports, reused on restart");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeAtomically(home.resolve("ports.properties"), text.toString());
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Path temporary = Files.createTempFile(file.getParent(), ".devnet", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
