package io.sandbox.launcher.fabric;

import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.core.fabric.network.SandboxChannels.Install;
import io.sandbox.core.fabric.network.SandboxChannels.Member;
import io.sandbox.devnet.Devnet;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    /** Version of the home directory's layout: 2 = a chaincode server per organisation. */
    private static final String LAYOUT = "2";

    private final Path home;
    private final Devnet devnet;
    private final ChaincodeServers chaincode;

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

    private FabricNetwork(Path home, Devnet devnet, ChaincodeServers chaincode) {
        this.home = home;
        this.devnet = devnet;
        this.chaincode = chaincode;
    }

    /**
     * Starts (or restarts, with everything provisioned before) the network in {@code home}: the devnet with a sandbox
     * chaincode server next to every peer.
     */
    public static FabricNetwork start(Path home, KeyVault vault) {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(vault, "vault");
        checkLayout(home);
        ChaincodeServers chaincode = new ChaincodeServers(home.resolve("chaincode"), CHAINCODE_LABEL);
        try {
            return new FabricNetwork(home, Devnet.start(home.resolve("devnet"), vault, chaincode), chaincode);
        } catch (RuntimeException e) {
            chaincode.close();
            throw e;
        }
    }

    /**
     * Refuses a home directory written by an older layout (one chaincode server for every peer, whose package the
     * channels approved), which this version cannot serve; a new home gets the current layout's marker.
     */
    private static void checkLayout(Path home) {
        Path marker = home.resolve("layout");
        try {
            if (Files.exists(marker)) {
                if (!Files.readString(marker).strip().equals(LAYOUT)) {
                    throw new IllegalStateException(oldLayout(home));
                }
            } else if (Files.exists(home.resolve("devnet"))) {
                throw new IllegalStateException(oldLayout(home));
            } else {
                Files.createDirectories(home);
                Files.writeString(marker, LAYOUT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + marker, e);
        }
    }

    private static String oldLayout(Path home) {
        return "the embedded Fabric network in " + home + " was made by an older version of Sandbox;"
                + " start again with --reset (this also empties the databases that index it)";
    }

    /** The regulator's chaincode package file, as the onboarding service installs it on the regulator's peer. */
    public Path regulatorChaincodePackage() {
        return chaincode.packageFile(Devnet.REGULATOR_MSP);
    }

    /** How the platform connects. */
    public NetworkProfile profile() {
        return devnet.profile();
    }

    /** The profile's file, with keys sealed by the vault this network was started with. */
    public Path profileFile() {
        return home.resolve("devnet").resolve(Devnet.PROFILE_FILE);
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
        channels.deployChaincode(channelId, List.of(
                        new Install(channels.regulator(), chaincode.pkg(Devnet.REGULATOR_MSP)),
                        new Install(startup, chaincode.pkg(mspId))),
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

    /** Stops the devnet, then the chaincode servers. */
    @Override
    public void close() {
        devnet.close();
        chaincode.close();
    }
}
