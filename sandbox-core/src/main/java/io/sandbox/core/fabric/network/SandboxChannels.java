package io.sandbox.core.fabric.network;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.ChaincodeDefinition;
import io.sandbox.core.fabric.admin.ChaincodeLifecycle;
import io.sandbox.core.fabric.admin.CommittedChaincode;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.admin.ProposalException;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.common.Block;

/**
 * A startup's sandbox channel on a {@link NetworkProfile network}: the startup and the regulator as members, the
 * regulator governing (regulator-locked), the orderer and both peers joined, the sandbox chaincode committed.
 *
 * <p>Every step is idempotent and checks the network first, so a caller that crashed part-way simply runs the steps
 * again. The genesis block is random (timestamp, nonce): a caller that may crash between creating and joining keeps
 * the block it made and joins with that one.
 */
public final class SandboxChannels {

    private final NetworkProfile network;

    /** Channels on this network. */
    public SandboxChannels(NetworkProfile network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    /**
     * A member organisation as provisioning needs it.
     *
     * @param name  the organisation's group name in the channel configuration
     * @param msp   its MSP definition
     * @param admin its admin (joins its peer, installs and approves chaincode)
     * @param peer  its peer
     */
    public record Member(String name, Msp msp, AdminIdentity admin, PeerEndpoint peer) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(msp, "msp");
            Objects.requireNonNull(admin, "admin");
            Objects.requireNonNull(peer, "peer");
        }

        /** An organisation whose material the platform generated, with its peer. */
        public static Member of(String name, OrganisationMaterial org, PeerEndpoint peer) {
            FabricIdentity admin = org.admin();
            return new Member(name, mspOf(org), new AdminIdentity(org.mspId(), admin.signing().certificate(),
                    Signers.newPrivateKeySigner(admin.signing().privateKey())), peer);
        }
    }

    /**
     * A member and the chaincode package its peer runs. Each organisation installs and approves the package of its
     * own chaincode server; the definition they approve (name, version, sequence, policy) is the same.
     */
    public record Install(Member member, ChaincodePackage pkg) {
        public Install {
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(pkg, "pkg");
        }
    }

    /** The MSP definition of generated material, with the standard NodeOUs. */
    public static Msp mspOf(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(ByteString.copyFromUtf8(org.signingCa().certificatePem())),
                List.of(ByteString.copyFromUtf8(org.tlsCa().certificatePem())), NodeOus.standard());
    }

    /** The regulator as a member. */
    public Member regulator() {
        return new Member("Regulator", network.regulatorMsp(), network.regulatorAdminIdentity(), network.regulatorPeer());
    }

    /** A new genesis block for the startup's channel. */
    public Block genesis(String channelId, Member startup, BatchSettings batch) {
        ChannelDescription description = new ChannelDescription(channelId, network.ordererOrg(),
                List.of(new ApplicationOrg(regulator().name(), network.regulatorMsp(), List.of()),
                        new ApplicationOrg(startup.name(), startup.msp(), List.of())),
                network.regulatorMspId(), true, batch, null, null, null);
        return GenesisBlockBuilder.build(description);
    }

    /** Joins the orderer to the channel unless it already serves it. */
    public void joinOrderer(String channelId, Block genesis) {
        try (OrdererAdmin orderer = OrdererAdmin.connect(network.orderer())) {
            if (orderer.channel(channelId).isEmpty()) {
                orderer.joinChannel(genesis);
            }
        }
    }

    /** Joins the member's peer to the channel unless it already is. */
    public void joinPeer(String channelId, Member member, Block genesis) {
        try (PeerAdmin peer = PeerAdmin.connect(member.peer(), member.admin())) {
            if (!peer.channels().contains(channelId)) {
                peer.joinChannel(genesis);
            }
        }
    }

    /**
     * Installs each member's package on its peer, approves the definition with that package for every member that has
     * not yet, and commits it (endorsed by every member's peer, submitted by the first); does nothing for a definition
     * already committed at this sequence or later.
     *
     * @return the chaincode as committed
     */
    public CommittedChaincode deployChaincode(String channelId, List<Install> installs, ChaincodeDefinition definition) {
        if (installs.isEmpty()) {
            throw new IllegalArgumentException("no members to deploy the chaincode to");
        }
        Member first = installs.get(0).member();
        try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(first.admin(), first.peer(), network.orderer())) {
            CommittedChaincode committed = committed(lifecycle, channelId, definition.name());
            if (committed != null && committed.sequence() >= definition.sequence()) {
                return committed;
            }
        }
        for (Install install : installs) {
            Member member = install.member();
            String packageId = install.pkg().packageId();
            try (PeerAdmin peer = PeerAdmin.connect(member.peer(), member.admin())) {
                if (peer.queryInstalled().stream().noneMatch(i -> i.packageId().equals(packageId))) {
                    peer.installChaincode(install.pkg().bytes());
                }
            }
            try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(member.admin(), member.peer(), network.orderer())) {
                Map<String, Boolean> readiness = lifecycle.checkCommitReadiness(channelId, definition);
                if (!readiness.getOrDefault(member.msp().mspId(), false)) {
                    lifecycle.approveForMyOrg(channelId, definition, packageId);
                }
            }
        }
        try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(first.admin(), first.peer(), network.orderer())) {
            lifecycle.commit(channelId, definition, installs.stream().map(i -> i.member().peer()).toList());
            return lifecycle.queryCommitted(channelId, definition.name());
        }
    }

    private static CommittedChaincode committed(ChaincodeLifecycle lifecycle, String channelId, String name) {
        try {
            return lifecycle.queryCommitted(channelId, name);
        } catch (ProposalException notDefined) {
            return null;
        }
    }
}
