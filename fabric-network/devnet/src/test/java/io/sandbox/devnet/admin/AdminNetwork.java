package io.sandbox.devnet.admin;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.OrdererEndpoint;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.BatchSettings;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.devnet.orderer.OrdererConfig;
import io.sandbox.devnet.orderer.OrdererNode;
import io.sandbox.devnet.orderer.OrdererTestAccess;
import io.sandbox.devnet.peer.PeerConfig;
import io.sandbox.devnet.peer.PeerNode;
import io.sandbox.devnet.peer.endorsement.ChaincodeEndorser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The bare devnet processes (an orderer and one Regulator and one Startup peer, joined to no channel), and the
 * admin client's configuration for them: endpoints and admin identities, exactly what a real network would need.
 */
final class AdminNetwork implements AutoCloseable {

    static final OrganisationMaterial ORDERER_ORG = OrdererTestAccess.ORDERER_ORG;
    static final OrganisationMaterial REGULATOR = OrdererTestAccess.REGULATOR;
    static final OrganisationMaterial STARTUP = OrdererTestAccess.STARTUP;

    final OrdererNode orderer;
    final PeerNode regPeer;
    final PeerNode stPeer;
    private final List<ChaincodeEndorser> endorsers = new ArrayList<>();

    AdminNetwork(Path dir) {
        orderer = OrdererNode.start(OrdererConfig.of(dir.resolve("orderer"), ORDERER_ORG.orderers().get(0),
                List.of(ORDERER_ORG.tlsCa().certificate())));
        regPeer = PeerNode.start(peerConfig(dir.resolve("reg"), REGULATOR));
        stPeer = PeerNode.start(peerConfig(dir.resolve("st"), STARTUP));
        endorsers.add(ChaincodeEndorser.attach(regPeer));
        endorsers.add(ChaincodeEndorser.attach(stPeer));
        regPeer.gatewayPeers().add(stPeer, List.of(STARTUP.tlsCa().certificate()));
        stPeer.gatewayPeers().add(regPeer, List.of(REGULATOR.tlsCa().certificate()));
    }

    private PeerConfig peerConfig(Path data, OrganisationMaterial org) {
        return PeerConfig.of(data, org.peers().get(0), List.of(org.signingCa().certificate()),
                orderer.grpcEndpoint(), List.of(ORDERER_ORG.tlsCa().certificate()));
    }

    /** The orderer as the platform configures it, authenticating with the orderer org admin's TLS client cert. */
    OrdererEndpoint ordererEndpoint() {
        return new OrdererEndpoint(orderer.config().host(), orderer.grpcPort(), orderer.adminPort(),
                List.of(ORDERER_ORG.tlsCa().certificate()), ORDERER_ORG.admin().tls());
    }

    static PeerEndpoint endpoint(PeerNode peer, OrganisationMaterial org) {
        return new PeerEndpoint(peer.config().host(), peer.port(), List.of(org.tlsCa().certificate()), org.mspId());
    }

    PeerEndpoint regulatorPeer() {
        return endpoint(regPeer, REGULATOR);
    }

    PeerEndpoint startupPeer() {
        return endpoint(stPeer, STARTUP);
    }

    static AdminIdentity admin(OrganisationMaterial org) {
        return AdminIdentity.of(org.admin());
    }

    /** A new channel's genesis block: the orderer org as sole consenter, Regulator (governor) and Startup. */
    Block genesis(String channelId) {
        FabricIdentity node = ORDERER_ORG.orderers().get(0);
        ByteString tlsCert = ByteString.copyFromUtf8(node.tls().certificatePem());
        OrdererOrg ordererOrg = new OrdererOrg("OrdererOrg", msp(ORDERER_ORG), List.of(orderer.grpcEndpoint()),
                List.of(new Consenter(node.name(), orderer.grpcPort(), tlsCert, tlsCert)));
        ChannelDescription description = new ChannelDescription(channelId, ordererOrg,
                List.of(new ApplicationOrg("Regulator", msp(REGULATOR), List.of()),
                        new ApplicationOrg("Startup", msp(STARTUP), List.of())),
                REGULATOR.mspId(), true,
                new BatchSettings(Duration.ofMillis(100), 10, 10 * 1024 * 1024, 2 * 1024 * 1024), null, null, null);
        return GenesisBlockBuilder.build(description);
    }

    private static Msp msp(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(ByteString.copyFromUtf8(org.signingCa().certificatePem())),
                List.of(ByteString.copyFromUtf8(org.tlsCa().certificatePem())), NodeOus.standard());
    }

    @Override
    public void close() {
        endorsers.forEach(ChaincodeEndorser::close);
        regPeer.close();
        stPeer.close();
        orderer.close();
    }
}
