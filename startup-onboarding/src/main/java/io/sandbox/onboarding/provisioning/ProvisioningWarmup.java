package io.sandbox.onboarding.provisioning;

import io.quarkus.runtime.StartupEvent;
import io.sandbox.core.fabric.admin.ChaincodeLifecycle;
import io.sandbox.core.fabric.admin.OrdererAdmin;
import io.sandbox.core.fabric.admin.PeerAdmin;
import io.sandbox.core.fabric.admin.PeerEndpoint;
import io.sandbox.core.fabric.admin.ProposalException;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import io.sandbox.core.fabric.network.SandboxChannels;
import io.sandbox.core.fabric.network.SandboxChannels.Member;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.hyperledger.fabric.protos.common.Block;
import org.jboss.logging.Logger;

/**
 * Warms the provisioning's code paths when the service starts, so that the first startup approved after a start does
 * not pay for class loading and first connections (it took 10 s instead of 3-4 s). Everything it does is read-only or
 * in memory: a throwaway organisation generated, sealed and opened; a genesis block built and parsed, never stored or
 * joined; the orderer's and the regulator's peer's channel lists, installed packages and a committed chaincode
 * definition read; Keycloak's tenant look-ups for names that do not exist; the dashboard's token. The service is not
 * ready ({@code /q/health/ready}) until it is done; a failure is logged and ends the warm-up, nothing else.
 */
@ApplicationScoped
@Readiness
class ProvisioningWarmup implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ProvisioningWarmup.class);

    private final ProvisioningConfig config;
    private final FabricAccess fabric;
    private final KeycloakTenant keycloak;
    private final DashboardSupervision supervision;
    private volatile boolean done;

    ProvisioningWarmup(ProvisioningConfig config, FabricAccess fabric, KeycloakTenant keycloak,
            DashboardSupervision supervision) {
        this.config = config;
        this.fabric = fabric;
        this.keycloak = keycloak;
        this.supervision = supervision;
    }

    void start(@Observes StartupEvent event) {
        if (!config.worker() || !fabric.configured()) {
            done = true;
            return;
        }
        Thread.ofVirtual().name("provisioning-warmup").start(this::warm);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("provisioning warm-up").status(done).build();
    }

    private void warm() {
        long start = System.nanoTime();
        try {
            Thread fabricPaths = Thread.ofVirtual().start(() -> timed("Fabric", this::warmFabric));
            timed("Keycloak and dashboard", () -> {
                keycloak.warm();
                supervision.warm();
            });
            fabricPaths.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            done = true;
            LOG.infof("Provisioning warm-up done in %d ms", (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void timed(String what, Runnable part) {
        long start = System.nanoTime();
        try {
            part.run();
            LOG.infof("Provisioning warm-up: %s in %d ms", what, (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warnf("Provisioning warm-up: %s failed after %d ms (the first provisioning will be slower): %s", what,
                    (System.nanoTime() - start) / 1_000_000, ProvisioningMachine.describe(e));
        }
    }

    private void warmFabric() {
        FabricAccess.Network network = fabric.require();
        SandboxChannels channels = new SandboxChannels(network.profile());
        Member regulator = channels.regulator();
        // a throwaway organisation and channel, in memory only
        OrganisationMaterial org = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("WarmupMSP", "warmup.invalid", "peer0"));
        OrganisationMaterial opened = SealedOrganisation.open(SealedOrganisation.seal(org, network.vault()),
                network.vault());
        PeerEndpoint nowhere = new PeerEndpoint("peer0.warmup.invalid", 7051, regulator.peer().tlsRootCerts(),
                "WarmupMSP");
        try {
            Block.parseFrom(channels.genesis("sandbox-warmup", Member.of("warmup", opened, nowhere), FabricSteps.BATCH)
                    .toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
        try (OrdererAdmin orderer = OrdererAdmin.connect(network.profile().orderer())) {
            orderer.listChannels();
        }
        List<String> joined;
        try (PeerAdmin peer = PeerAdmin.connect(regulator.peer(), regulator.admin())) {
            joined = peer.channels();
            peer.queryInstalled();
        }
        if (!joined.isEmpty()) {
            try (ChaincodeLifecycle lifecycle = ChaincodeLifecycle.connect(regulator.admin(), regulator.peer(),
                    network.profile().orderer())) {
                lifecycle.queryCommitted(joined.get(0), FabricSteps.CHAINCODE.name());
                lifecycle.checkCommitReadiness(joined.get(0), FabricSteps.CHAINCODE);
            } catch (ProposalException notDeployed) {
                // a channel without the sandbox chaincode answers with an error: the path is warm all the same
            }
        }
    }
}
