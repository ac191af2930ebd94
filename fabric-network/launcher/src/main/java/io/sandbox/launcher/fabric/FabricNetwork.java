package io.sandbox.launcher.fabric;

import io.sandbox.chaincode.SandboxChaincodeServer;
import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.core.fabric.network.SandboxChannels.Member;
import io.sandbox.devnet.Devnet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The embedded Fabric network of the run command and the tests: the {@link Devnet} and the sandbox chaincode as a
 * chaincode-as-a-service server, both in this JVM, with their state under one home directory. It provisions demo and
 * test startups' sandboxes (organisation, peer, channel, chaincode) through the platform's own admin client.
 */
public final class FabricNetwork implements AutoCloseable {

    /** The sandbox chaincode's name on every channel. */
    public static final String CHAINCODE = "sandbox";

    /** Batch settings of sandbox channels: a live dashboard wants blocks cut within half a second. */
    public static final BatchSettings BATCH = new BatchSettings(Duration.ofMillis(500), 500, 10 * 1024 * 1024,
            2 * 1024 * 1024);

    private static final Pattern STARTUP_NAME = Pattern.compile("[a-z][a-z0-9-]{1,40}");
    private static final String CHAINCODE_LABEL = "sandbox_1.0";
    private static final String CHAINCODE_PACKAGE_FILE = "sandbox-chaincode.tar.gz";

    private final Path home;
    private final Devnet devnet;
    private final SandboxChaincodeServer chaincode;
    private final ChaincodePackage chaincodePackage;

    /**
     * A startup's sandbox on this network.
     *
     * @param name      the startup's short name (lower case), also its Keycloak tenant
     * @param channelId its channel
     * @param org       its organisation's material
     * @param peer      its peer
     */
    public record StartupSandbox(String name, String channelId, OrganisationMaterial org, PeerEndpoint peer) {
    }

    private FabricNetwork(Path home, Devnet devnet, SandboxChaincodeServer chaincode, ChaincodePackage pkg) {
        this.home = home;
        this.devnet = devnet;
        this.chaincode = chaincode;
        this.chaincodePackage = pkg;
    }

    /** Starts (or restarts, with everything provisioned before) the network in {@code home}. */
    public static FabricNetwork start(Path home, KeyVault vault) {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(vault, "vault");
        Devnet devnet = Devnet.start(home.resolve("devnet"), vault);
        try {
            int port = chaincodePort(home);
            ChaincodePackage pkg = ChaincodePackage.ccaas(CHAINCODE_LABEL,
                    "{\"address\":\"127.0.0.1:" + port + "\",\"dial_timeout\":\"10s\",\"tls_required\":false}");
            writePackage(home.resolve(CHAINCODE_PACKAGE_FILE), pkg);
            SandboxChaincodeServer server = SandboxChaincodeServer.start(new InetSocketAddress("127.0.0.1", port),
                    pkg.packageId());
            return new FabricNetwork(home, devnet, server, pkg);
        } catch (Exception e) {
            devnet.close();
            throw new IllegalStateException("the sandbox chaincode server did not start: " + e.getMessage(), e);
        }
    }

    /** How the platform connects. */
    public NetworkProfile profile() {
        return devnet.profile();
    }

    /** The profile's file, with keys sealed by the vault this network was started with. */
    public Path profileFile() {
        return home.resolve("devnet").resolve(Devnet.PROFILE_FILE);
    }

    /**
     * The file holding the sandbox chaincode's CCaaS package, which names this network's chaincode server: another
     * process (the onboarding service) installs it on new startups' channels.
     */
    public Path chaincodePackageFile() {
        return home.resolve(CHAINCODE_PACKAGE_FILE);
    }

    /** The devnet itself. */
    public Devnet devnet() {
        return devnet;
    }

    /**
     * Provisions a startup's sandbox unless it exists: its organisation (MSP {@code <Name>MSP}) and peer, its channel
     * {@code sandbox-<name>} with the regulator, both peers joined, the sandbox chaincode committed. Idempotent, also
     * after a crash part-way: the genesis block is kept under the home directory before anything joins.
     */
    public synchronized StartupSandbox provision(String name) {
        if (!STARTUP_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("startup name must match " + STARTUP_NAME + ": " + name);
        }
        String mspId = Character.toUpperCase(name.charAt(0)) + name.substring(1).replace("-", "") + "MSP";
        OrganisationMaterial org = devnet.peerOrganisations().contains(mspId)
                ? devnet.organisation(mspId)
                : OrganisationMaterial.generate(OrganisationSpec.peerOrganisation(mspId, name + ".sandbox.local", "peer0"));
        PeerEndpoint peer = devnet.startPeer(org);
        String channelId = "sandbox-" + name;
        SandboxChannels channels = new SandboxChannels(devnet.profile());
        Member startup = Member.of(name, org, peer);
        Block genesis = genesis(channels, channelId, startup);
        channels.joinOrderer(channelId, genesis);
        channels.joinPeer(channelId, channels.regulator(), genesis);
        channels.joinPeer(channelId, startup, genesis);
        channels.deployChaincode(channelId, List.of(channels.regulator(), startup), chaincodePackage,
                ChaincodeDefinition.of(CHAINCODE, "1.0", 1));
        return new StartupSandbox(name, channelId, org, peer);
    }

    private Block genesis(SandboxChannels channels, String channelId, Member startup) {
        Path file = home.resolve("channels").resolve(channelId + ".block");
        try {
            if (Files.exists(file)) {
                return Block.parseFrom(Files.readAllBytes(file));
            }
            Files.createDirectories(file.getParent());
            Block genesis = channels.genesis(channelId, startup, BATCH);
            Path temporary = Files.createTempFile(file.getParent(), ".genesis", ".tmp");
            Files.write(temporary, genesis.toByteArray());
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            return genesis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the genesis block of " + channelId, e);
        }
    }

    private static void writePackage(Path file, ChaincodePackage pkg) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), ".chaincode", ".tmp");
        Files.write(temporary, pkg.bytes());
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The chaincode server's port: chosen once and kept, since the installed package names its address. */
    private static int chaincodePort(Path home) throws IOException {
        Path file = home.resolve("chaincode.port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).strip());
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.createDirectories(home);
        Files.writeString(file, Integer.toString(port));
        return port;
    }

    /** Stops the devnet, then the chaincode server. */
    @Override
    public void close() {
        devnet.close();
        chaincode.close();
    }
}
