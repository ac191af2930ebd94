package io.sandbox.devnet.orderer;

import io.grpc.ManagedChannel;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;

/** Test-only access to the orderer test fixtures for other packages' tests. */
public final class OrdererTestAccess {
    private OrdererTestAccess() {}

    public static final OrganisationMaterial ORDERER_ORG = Fixtures.ORDERER_ORG;
    public static final OrganisationMaterial REGULATOR = Fixtures.REGULATOR;
    public static final OrganisationMaterial STARTUP = Fixtures.STARTUP;
    public static final OrganisationMaterial OUTSIDER = Fixtures.OUTSIDER;

    public static org.hyperledger.fabric.protos.common.Block genesis(String channelId) {
        return Fixtures.genesis(channelId, Fixtures.batch(java.time.Duration.ofMillis(100), 10));
    }

    public static HttpClient adminClient(FabricIdentity admin, OrganisationMaterial ignored) throws Exception {
        return Fixtures.adminClient(admin);
    }

    public static HttpResponse<String> join(HttpClient client, OrdererNode node, byte[] block) throws Exception {
        return Fixtures.join(client, node, block);
    }

    public static ManagedChannel grpc(OrdererNode node, OrganisationMaterial ignored) throws Exception {
        return Fixtures.grpc(node);
    }

    public static List<BroadcastResponse> broadcast(ManagedChannel channel, List<Envelope> envelopes) throws Exception {
        return Fixtures.broadcast(channel, envelopes);
    }
}
