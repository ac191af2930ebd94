package io.sandbox.onboarding.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.BroadcastException;
import io.sandbox.core.fabric.admin.ChannelConfigClient;
import io.sandbox.core.fabric.admin.DeliverException;
import io.sandbox.core.fabric.block.ConfigBlocks;
import io.sandbox.core.fabric.channel.ConfigUpdates;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.SealedOrganisation;
import io.sandbox.core.fabric.network.NetworkProfile;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import io.sandbox.onboarding.provisioning.StartupAdmission.Representative;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's "B's admin cannot change A's channel configuration", against two startups provisioned through the real
 * service, Keycloak and devnet: B's admin (from B's sealed organisation material) is refused on A's channel, A's own
 * admin cannot remove the regulator or change the Application policies, and the regulator can change the channel.
 */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class ChannelGovernanceIsolationTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Inject
    ProvisioningService service;
    @Inject
    FabricConfig fabric;

    @Test
    void onlyTheRegulatorGovernsAStartupsChannel() {
        UUID a = provision("gov-a");
        UUID b = provision("gov-b");
        KeyVault vault = KeyVault.fromBase64MasterSecret(fabric.masterKey().orElseThrow());
        NetworkProfile profile = NetworkProfile.read(fabric.profile().orElseThrow(), vault);
        Provisioning storedA = stored(a);
        Provisioning storedB = stored(b);
        AdminIdentity adminA = AdminIdentity.of(SealedOrganisation.open(storedA.organisationDocument, vault).admin());
        AdminIdentity adminB = AdminIdentity.of(SealedOrganisation.open(storedB.organisationDocument, vault).admin());
        AdminIdentity regulator = profile.regulatorAdminIdentity();
        String channel = "sandbox-" + service.get(a).slug();
        UnaryOperator<Config> lockBlockByHash = c -> edit(c, app -> acl(app, "qscc/GetBlockByHash", "/Channel/Application/Admins"));

        try (ChannelConfigClient configs = ChannelConfigClient.connect(profile.orderer())) {
            Config before = ConfigBlocks.config(configs.configBlock(channel, regulator));
            String groupA = orgGroup(before, storedA.mspId);

            // B's admin: not a channel member, it can neither read A's config nor submit an update to it
            assertThatThrownBy(() -> configs.update(channel, lockBlockByHash, adminB, List.of(adminB)))
                    .isInstanceOf(DeliverException.class);
            ConfigUpdate update = ConfigUpdates.compute(channel, before, lockBlockByHash.apply(before));
            assertThatThrownBy(() -> configs.submit(update, List.of(ChannelConfigClient.sign(update, adminB)), adminB))
                    .isInstanceOfSatisfying(BroadcastException.class, e -> {
                        assertThat(e.status()).isEqualTo("FORBIDDEN");
                        assertThat(e.info()).startsWith("config update for existing channel did not pass initial checks: ");
                    });
            // nor does its signature count when a member submits
            assertThatThrownBy(() -> configs.submit(update, List.of(ChannelConfigClient.sign(update, adminB)), adminA))
                    .isInstanceOfSatisfying(BroadcastException.class, e -> assertThat(e.info())
                            .contains("policy for [Value]  /Channel/Application/ACLs not satisfied"));

            // A's own admin: the regulator lock
            String regulatorGroup = orgGroup(before, profile.regulatorMspId());
            assertThatThrownBy(() -> configs.update(channel, c -> edit(c, app -> app.toBuilder().removeGroups(regulatorGroup)
                    .build()), adminA, List.of(adminA)))
                    .isInstanceOfSatisfying(BroadcastException.class, e -> {
                        assertThat(e.status()).isEqualTo("BAD_REQUEST");
                        assertThat(e.info()).startsWith("error applying config update to existing channel '" + channel
                                + "': error authorizing update: error validating DeltaSet: policy for [Group]  /Channel/Application not satisfied: ");
                    });
            assertThatThrownBy(() -> configs.update(channel, c -> edit(c, app -> app.toBuilder().putPolicies("Admins",
                    app.getPoliciesOrThrow("Admins").toBuilder().setPolicy(app.getGroupsOrThrow(groupA)
                            .getPoliciesOrThrow("Admins").getPolicy()).build()).build()), adminA, List.of(adminA)))
                    .isInstanceOfSatisfying(BroadcastException.class, e -> assertThat(e.info())
                            .contains("policy for [Policy] /Channel/Application/Admins not satisfied"));
            assertThatThrownBy(() -> configs.update(channel, c -> edit(c, app -> app.toBuilder().putPolicies("Writers",
                    app.getPoliciesOrThrow("Writers").toBuilder().setPolicy(app.getGroupsOrThrow(groupA)
                            .getPoliciesOrThrow("Writers").getPolicy()).build()).build()), adminA, List.of(adminA)))
                    .isInstanceOfSatisfying(BroadcastException.class, e -> assertThat(e.info())
                            .contains("policy for [Policy] /Channel/Application/Writers not satisfied"));
            assertThat(ConfigBlocks.config(configs.configBlock(channel, adminA)).getSequence())
                    .isEqualTo(before.getSequence());

            // the regulator can (positive control), and the orderer serves the new config
            configs.update(channel, lockBlockByHash, regulator, List.of(regulator));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                Config after = ConfigBlocks.config(configs.configBlock(channel, regulator));
                assertThat(after.getSequence()).isEqualTo(before.getSequence() + 1);
                assertThat(ACLs.parseFrom(after.getChannelGroup().getGroupsOrThrow("Application").getValuesOrThrow("ACLs")
                        .getValue()).getAclsOrThrow("qscc/GetBlockByHash").getPolicyRef()).isEqualTo("/Channel/Application/Admins");
            });
        }
    }

    private UUID provision(String name) {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String slug = name + "-" + HexFormat.of().formatHex(random);
        UUID id = service.request(new StartupAdmission(UUID.randomUUID(), slug + " Ltd", slug,
                List.of(new Representative("Ada Lovelace", "ada@" + slug + ".example")), UUID.randomUUID()));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> {
            ProvisioningView view = service.get(id);
            if (view.status() == ProvisioningStatus.FAILED) {
                throw new AssertionError("provisioning failed: " + view.error());
            }
            return view.status() == ProvisioningStatus.READY;
        });
        return id;
    }

    private static Provisioning stored(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Provisioning.findById(id));
    }

    /** The Application group's key of the org with this MSP id. */
    private static String orgGroup(Config config, String mspId) {
        for (Map.Entry<String, ConfigGroup> org : config.getChannelGroup().getGroupsOrThrow("Application").getGroupsMap().entrySet()) {
            try {
                MSPConfig msp = MSPConfig.parseFrom(org.getValue().getValuesOrThrow("MSP").getValue());
                if (FabricMSPConfig.parseFrom(msp.getConfig()).getName().equals(mspId)) {
                    return org.getKey();
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no application org with MSP " + mspId);
    }

    private static Config edit(Config config, UnaryOperator<ConfigGroup> application) {
        ConfigGroup channel = config.getChannelGroup();
        return config.toBuilder().setChannelGroup(channel.toBuilder()
                .putGroups("Application", application.apply(channel.getGroupsOrThrow("Application")))).build();
    }

    private static ConfigGroup acl(ConfigGroup application, String resource, String policyRef) {
        try {
            ACLs acls = ACLs.parseFrom(application.getValuesOrThrow("ACLs").getValue()).toBuilder()
                    .putAcls(resource, APIResource.newBuilder().setPolicyRef(policyRef).build()).build();
            return application.toBuilder().putValues("ACLs", application.getValuesOrThrow("ACLs").toBuilder()
                    .setValue(acls.toByteString()).build()).build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
