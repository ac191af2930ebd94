package io.sandbox.onboarding.provisioning;

import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.ChaincodeLifecycle;
import io.sandbox.core.fabric.admin.CommittedChaincode;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.OrdererEndpoint;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.admin.ProposalException;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.identity.Certificates;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.core.fabric.network.SandboxChannels.Install;
import io.sandbox.core.fabric.network.SandboxChannels.Member;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;

/** The Fabric steps: organisation, peer, channel, chaincode. Each checks the network before it acts. */
@ApplicationScoped
class FabricSteps {

    /** The sandbox chaincode as every startup channel carries it. */
    static final ChaincodeDefinition CHAINCODE = ChaincodeDefinition.of("sandbox", "1.0", 1);

    /**
     * Blocks cut 200 ms after their first transaction (Fabric's default is 2 s; the launcher's demo channels 500 ms): a
     * startup's transactions and the three lifecycle transactions of its provisioning wait that long for their block,
     * and an idle channel cuts none. The cost, at most five blocks a second per busy channel, is small for a pilot's
     * traffic (see docs/provisioning.md).
     */
    static final BatchSettings BATCH = new BatchSettings(Duration.ofMillis(200), 500, 10 * 1024 * 1024,
            2 * 1024 * 1024);

    /** How long one peer may lag behind another in committing a block. */
    private static final Duration LAG = Duration.ofSeconds(30);

    private final FabricAccess fabric;
    private final GenesisStore genesisStore;

    FabricSteps(FabricAccess fabric, GenesisStore genesisStore) {
        this.fabric = fabric;
        this.genesisStore = genesisStore;
    }

    /** Generates the organisation's material unless it was stored; stores it sealed. */
    void organisation(Provisioning p) {
        if (p.organisationDocument != null) {
            return;
        }
        OrganisationMaterial org = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation(p.mspId, p.domain(), "peer0"));
        p.organisationDocument = SealedOrganisation.seal(org, fabric.vault());
    }

    /** Starts the startup's peer, or finds it running; keeps how to reach it. */
    void peer(Provisioning p) {
        FabricAccess.Network network = fabric.require();
        PeerEndpoint peer = network.peers().ensurePeer(material(p)).endpoint();
        p.peerHost = peer.host();
        p.peerPort = peer.port();
        StringBuilder roots = new StringBuilder();
        peer.tlsRootCerts().forEach(c -> roots.append(Certificates.pem(c)));
        p.peerTlsRoots = roots.toString();
    }

    /** The channel: genesis block committed first, then the orderer and both peers joined unless they are. */
    void channel(Provisioning p) {
        FabricAccess.Network network = fabric.require();
        SandboxChannels channels = new SandboxChannels(network.profile());
        Member startup = member(p);
        Block genesis = genesis(p, channels, startup, network);
        channels.joinOrderer(p.channelId, genesis);
        // both peers join at the same time: each then pulls the channel's blocks from the orderer on its own
        try (ExecutorService peers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> joins = List.of(
                    peers.submit(() -> channels.joinPeer(p.channelId, channels.regulator(), genesis)),
                    peers.submit(() -> channels.joinPeer(p.channelId, startup, genesis)));
            for (Future<?> join : joins) {
                await(join);
            }
        }
    }

    /**
     * Installs and approves the sandbox chaincode for both organisations, commits it, then checks it from the startup's
     * peer. The two organisations install and approve at the same time: their approvals go to the orderer together and
     * are usually cut into one block, so the step waits for two blocks (approvals, commit) instead of three.
     */
    void chaincode(Provisioning p) {
        FabricAccess.Network network = fabric.require();
        SandboxChannels channels = new SandboxChannels(network.profile());
        Member startup = member(p);
        Member regulator = channels.regulator();
        // Each organisation runs its own chaincode server; the provisioner that started the startup's peer names its
        // package (ensurePeer is idempotent), the regulator's is configured.
        ChaincodePackage startupPackage = network.peers().ensurePeer(material(p)).chaincode().orElseThrow(
                () -> new IllegalStateException("the peer provisioner runs no chaincode server for " + p.mspId));
        OrdererEndpoint orderer = network.profile().orderer();
        if (!committed(regulator, orderer, p.channelId)) {
            List<Install> installs = List.of(new Install(regulator, network.chaincode()), new Install(startup, startupPackage));
            try (ExecutorService members = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> approvals = installs.stream()
                        .<Future<?>>map(i -> members.submit(() -> installAndApprove(i, orderer, p.channelId))).toList();
                for (Future<?> approval : approvals) {
                    await(approval);
                }
            }
            // each approval was awaited on its own peer only: both peers must hold both before they endorse the commit
            try (ExecutorService members = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> readiness = List.of(regulator, startup).stream()
                        .<Future<?>>map(m -> members.submit(() -> awaitApprovals(m, orderer, p.channelId,
                                List.of(p.mspId, network.profile().regulatorMspId()))))
                        .toList();
                for (Future<?> ready : readiness) {
                    await(ready);
                }
            }
            try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(regulator.admin(), regulator.peer(), orderer)) {
                lifecycle.commit(p.channelId, CHAINCODE, List.of(regulator.peer(), startup.peer()));
            }
        }
        try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(startup.admin(), startup.peer(), orderer)) {
            // the commit was awaited on the regulator's peer; the startup's may commit that block a little later
            CommittedChaincode committed = untilSeen(() -> lifecycle.queryCommitted(p.channelId, CHAINCODE.name()),
                    c -> c.sequence() >= CHAINCODE.sequence());
            Map<String, Boolean> approvals = committed.approvals();
            if (committed.sequence() < CHAINCODE.sequence() || !Boolean.TRUE.equals(approvals.get(p.mspId))
                    || !Boolean.TRUE.equals(approvals.get(network.profile().regulatorMspId()))) {
                throw new IllegalStateException("chaincode " + CHAINCODE.name() + " on " + p.channelId
                        + " is not committed as expected: sequence " + committed.sequence() + ", approvals " + approvals);
            }
        }
    }

    /** Whether the sandbox chaincode is committed at its sequence, as {@code member}'s peer sees it. */
    private static boolean committed(Member member, OrdererEndpoint orderer, String channelId) {
        try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(member.admin(), member.peer(), orderer)) {
            return lifecycle.queryCommitted(channelId, CHAINCODE.name()).sequence() >= CHAINCODE.sequence();
        } catch (ProposalException notDefined) {
            return false;
        }
    }

    /** Installs the member's package on its peer and approves the definition for its organisation, each unless done. */
    private static void installAndApprove(Install install, OrdererEndpoint orderer, String channelId) {
        Member member = install.member();
        String packageId = install.pkg().packageId();
        try (PeerAdmin peer = PeerAdmin.connect(member.peer(), member.admin())) {
            if (peer.queryInstalled().stream().noneMatch(i -> i.packageId().equals(packageId))) {
                peer.installChaincode(install.pkg().bytes());
            }
        }
        try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(member.admin(), member.peer(), orderer)) {
            if (!lifecycle.checkCommitReadiness(channelId, CHAINCODE).getOrDefault(member.msp().mspId(), false)) {
                lifecycle.approveForMyOrg(channelId, CHAINCODE, packageId);
            }
        }
    }

    /** Waits until the member's peer shows every organisation's approval of the definition. */
    private static void awaitApprovals(Member member, OrdererEndpoint orderer, String channelId, List<String> mspIds) {
        try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(member.admin(), member.peer(), orderer)) {
            untilSeen(() -> lifecycle.checkCommitReadiness(channelId, CHAINCODE),
                    approvals -> mspIds.stream().allMatch(m -> approvals.getOrDefault(m, false)));
        }
    }

    /**
     * The query's first answer that {@code seen} accepts: a peer commits a block a little after another peer, so an
     * answer (or a peer's error) may lag by a block. Asks again after 10, 20, 40... ms (at most 500 ms apart) for up to
     * {@link #LAG}; then returns the last answer or throws the last error.
     */
    private static <T> T untilSeen(Supplier<T> query, Predicate<T> seen) {
        long deadline = System.nanoTime() + LAG.toNanos();
        long pause = 10;
        while (true) {
            T answer;
            try {
                answer = query.get();
                if (seen.test(answer) || System.nanoTime() > deadline) {
                    return answer;
                }
            } catch (ProposalException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a peer", e);
            }
            pause = Math.min(pause * 2, 500);
        }
    }

    /** The task's outcome; its failure is thrown as it was. */
    private static void await(Future<?> task) {
        try {
            task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a peer", e);
        }
    }

    /** The stored material, opened with the vault. */
    OrganisationMaterial material(Provisioning p) {
        if (p.organisationDocument == null) {
            throw new IllegalStateException("the organisation of " + p.slug + " has not been generated");
        }
        return SealedOrganisation.open(p.organisationDocument, fabric.vault());
    }

    /** The startup's peer as stored by the PEER step. */
    static PeerEndpoint peerEndpoint(Provisioning p) {
        if (p.peerHost == null || p.peerPort == null || p.peerTlsRoots == null) {
            throw new IllegalStateException("the peer of " + p.slug + " has not been started");
        }
        try {
            List<X509Certificate> roots = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(p.peerTlsRoots.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
            return new PeerEndpoint(p.peerHost, p.peerPort, roots, p.mspId);
        } catch (CertificateException e) {
            throw new IllegalStateException("stored TLS roots of " + p.slug + " do not parse", e);
        }
    }

    private Member member(Provisioning p) {
        return Member.of(p.slug, material(p), peerEndpoint(p));
    }

    /**
     * The channel's genesis block: the stored one, or a new one committed in its own transaction before it is used.
     * A channel the orderer already serves without a stored block was not made by this provisioning: that fails.
     */
    private Block genesis(Provisioning p, SandboxChannels channels, Member startup, FabricAccess.Network network) {
        Optional<byte[]> stored = genesisStore.find(p.id);
        try {
            if (stored.isPresent()) {
                return Block.parseFrom(stored.get());
            }
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("the stored genesis block of " + p.channelId + " does not parse", e);
        }
        try (OrdererAdmin orderer = OrdererAdmin.connect(network.profile().orderer())) {
            if (orderer.listChannels().stream().anyMatch(c -> c.name().equals(p.channelId))) {
                throw new IllegalStateException("the orderer already serves channel " + p.channelId
                        + ", which this provisioning did not create");
            }
        }
        Block genesis = channels.genesis(p.channelId, startup, BATCH);
        genesisStore.keep(p.id, genesis.toByteArray());
        return genesis;
    }
}
