package io.sandbox.core.fabric.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.ChannelConfigClient;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.AnchorPeer;
import org.hyperledger.fabric.protos.peer.AnchorPeers;
import org.junit.jupiter.api.Test;

/** configtxlator's compute_update and configtx's validator on a regulator-locked channel config. */
class ConfigUpdatesTest {

    private static final String CHANNEL = "sandbox-config";
    private static final OrganisationMaterial ORDERER = OrganisationMaterial.generate(
            OrganisationSpec.ordererOrganisation("OrdererMSP", "orderer.example.com", "orderer0"));
    private static final OrganisationMaterial REGULATOR = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("RegulatorMSP", "regulator.example.com", "peer0"));
    private static final OrganisationMaterial STARTUP = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("StartupMSP", "startup.example.com", "peer0"));
    private static final AdminIdentity GOVERNOR = AdminIdentity.of(REGULATOR.admin());
    private static final AdminIdentity MEMBER = AdminIdentity.of(STARTUP.admin());

    private static final Config GENESIS = Config.newBuilder()
            .setChannelGroup(GenesisBlockBuilder.channelGroup(description())).build();
    private static final ByteString ANCHORS = AnchorPeers.newBuilder()
            .addAnchorPeers(AnchorPeer.newBuilder().setHost("peer0.startup.example.com").setPort(7051)).build().toByteString();

    private static ChannelDescription description() {
        ByteString tls = ByteString.copyFromUtf8(ORDERER.orderers().get(0).tls().certificatePem());
        return new ChannelDescription(CHANNEL, new OrdererOrg("OrdererOrg", msp(ORDERER), List.of("localhost:7050"),
                List.of(new Consenter("localhost", 7050, tls, tls))),
                List.of(new ApplicationOrg("Regulator", msp(REGULATOR), List.of()),
                        new ApplicationOrg("Startup", msp(STARTUP), List.of())),
                REGULATOR.mspId(), true, null, null, null, null);
    }

    private static Msp msp(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(ByteString.copyFromUtf8(org.signingCa().certificatePem())),
                List.of(ByteString.copyFromUtf8(org.tlsCa().certificatePem())), NodeOus.standard());
    }

    private static Config edit(Config config, UnaryOperator<ConfigGroup> channel) {
        return config.toBuilder().setChannelGroup(channel.apply(config.getChannelGroup())).build();
    }

    private static ConfigGroup sub(ConfigGroup group, String name, UnaryOperator<ConfigGroup> change) {
        return group.toBuilder().putGroups(name, change.apply(group.getGroupsOrThrow(name))).build();
    }

    private static final UnaryOperator<Config> SET_ANCHORS = c -> edit(c, ch -> sub(ch, "Application", app -> sub(app, "Startup",
            org -> org.toBuilder().putValues("AnchorPeers", org.getValuesOrThrow("AnchorPeers").toBuilder()
                    .setValue(ANCHORS).build()).build())));

    private static Envelope envelope(ConfigUpdate update, AdminIdentity... signers) {
        ConfigUpdateEnvelope.Builder body = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString());
        for (AdminIdentity signer : signers) {
            body.addSignatures(ChannelConfigClient.sign(update, signer));
        }
        ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.CONFIG_UPDATE_VALUE).setChannelId(CHANNEL).build();
        return Envelope.newBuilder().setPayload(Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(body.build().toByteString()).build().toByteString()).build();
    }

    private static ConfigTxValidator validator(Config config) {
        return new ConfigTxValidator(CHANNEL, ChannelPolicies.fromConfig(CHANNEL, config));
    }

    @Test
    void aValueChangeWritesTheValueAtTheNextVersionAndPinsOnlyItsGroups() {
        ConfigUpdate update = ConfigUpdates.compute(CHANNEL, GENESIS, SET_ANCHORS.apply(GENESIS));

        assertThat(update.getChannelId()).isEqualTo(CHANNEL);
        ConfigGroup readStartup = update.getReadSet().getGroupsOrThrow("Application").getGroupsOrThrow("Startup");
        ConfigGroup writeStartup = update.getWriteSet().getGroupsOrThrow("Application").getGroupsOrThrow("Startup");
        // the group is unchanged (same members, same mod_policy): same version, only the changed value written
        assertThat(writeStartup.getVersion()).isZero();
        assertThat(writeStartup.getModPolicy()).isEmpty();
        assertThat(writeStartup.getValuesMap()).containsOnlyKeys("AnchorPeers");
        assertThat(writeStartup.getValuesOrThrow("AnchorPeers"))
                .isEqualTo(ConfigValue.newBuilder().setVersion(1).setModPolicy("Admins").setValue(ANCHORS).build());
        assertThat(readStartup.getValuesMap()).isEmpty();
        assertThat(readStartup.getPoliciesMap()).isEmpty();
        // untouched siblings appear in neither set
        assertThat(update.getWriteSet().getGroupsMap()).containsOnlyKeys("Application");
        assertThat(update.getWriteSet().getGroupsOrThrow("Application").getGroupsMap()).containsOnlyKeys("Startup");
    }

    @Test
    void removingAMemberRewritesItsParentGroupWithEveryRemainingMemberAtItsVersion() {
        ConfigUpdate update = ConfigUpdates.compute(CHANNEL, GENESIS, edit(GENESIS, ch -> sub(ch, "Application",
                app -> app.toBuilder().removeGroups("Regulator").build())));

        ConfigGroup read = update.getReadSet().getGroupsOrThrow("Application");
        ConfigGroup write = update.getWriteSet().getGroupsOrThrow("Application");
        assertThat(read.getVersion()).isZero();
        assertThat(write.getVersion()).isEqualTo(1);
        assertThat(write.getModPolicy()).isEqualTo("Admins");
        assertThat(write.getGroupsMap()).containsOnlyKeys("Startup");
        assertThat(write.getGroupsOrThrow("Startup")).isEqualTo(ConfigGroup.newBuilder().setVersion(0).build());
        assertThat(write.getPoliciesMap()).containsOnlyKeys("Readers", "Writers", "Admins", "Endorsement", "LifecycleEndorsement");
        assertThat(write.getValuesMap()).containsOnlyKeys("ACLs", "Capabilities");
        assertThat(read.getGroupsMap()).containsOnlyKeys("Startup");
    }

    @Test
    void noDifferenceIsNoUpdate() {
        assertThatThrownBy(() -> ConfigUpdates.compute(CHANNEL, GENESIS, GENESIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no differences detected between original and updated config");
    }

    @Test
    void theMemberMaySetItsAnchorPeersAndTheResultIsExactlyTheModifiedConfig() throws Exception {
        Config wanted = SET_ANCHORS.apply(GENESIS);
        ConfigUpdate update = ConfigUpdates.compute(CHANNEL, GENESIS, wanted);
        ConfigTxValidator validator = validator(GENESIS);

        ConfigEnvelope proposed = validator.propose(envelope(update, MEMBER));

        assertThat(proposed.getConfig().getSequence()).isEqualTo(1);
        ConfigValue anchors = proposed.getConfig().getChannelGroup().getGroupsOrThrow("Application").getGroupsOrThrow("Startup")
                .getValuesOrThrow("AnchorPeers");
        assertThat(anchors.getVersion()).isEqualTo(1);
        assertThat(anchors.getValue()).isEqualTo(ANCHORS);
        // apart from that version, what the client asked for
        Config withVersion = edit(wanted, ch -> sub(ch, "Application", app -> sub(app, "Startup", org -> org.toBuilder()
                .putValues("AnchorPeers", anchors).build())));
        assertThat(proposed.getConfig().getChannelGroup()).isEqualTo(withVersion.getChannelGroup());
        // the peer's check of the committed config envelope
        validator.validate(proposed);
        assertThatThrownBy(() -> validator.validate(proposed.toBuilder().setConfig(proposed.getConfig().toBuilder()
                .setSequence(2)).build()))
                .hasMessage("config currently at sequence 0, cannot validate config at sequence 2");
        Config tampered = edit(proposed.getConfig(), ch -> sub(ch, "Application", app -> app.toBuilder()
                .removeGroups("Regulator").build()));
        assertThatThrownBy(() -> validator.validate(proposed.toBuilder().setConfig(tampered).build()))
                .hasMessage("ConfigEnvelope LastUpdate did not produce the supplied config result");
    }

    @Test
    void relativeModPoliciesResolveFromTheElementsGroup() {
        // the Startup org's AnchorPeers mod_policy "Admins" is /Channel/Application/Startup/Admins: not the governor's
        ConfigUpdate update = ConfigUpdates.compute(CHANNEL, GENESIS, SET_ANCHORS.apply(GENESIS));
        assertThatThrownBy(() -> validator(GENESIS).propose(envelope(update, GOVERNOR)))
                .isInstanceOf(ConfigUpdateException.class)
                .hasMessageStartingWith("error authorizing update: error validating DeltaSet: policy for "
                        + "[Value]  /Channel/Application/Startup/AnchorPeers not satisfied: ");
    }

    @Test
    void lockedElementsNeedTheGovernor() throws Exception {
        Config noClients = edit(GENESIS, ch -> sub(ch, "Application", app -> sub(app, "Startup", org -> org.toBuilder()
                .putPolicies("Writers", org.getPoliciesOrThrow("Writers").toBuilder()
                        .setPolicy(org.getPoliciesOrThrow("Admins").getPolicy()).build()).build())));
        ConfigUpdate update = ConfigUpdates.compute(CHANNEL, GENESIS, noClients);

        assertThatThrownBy(() -> validator(GENESIS).propose(envelope(update, MEMBER)))
                .hasMessageStartingWith("error authorizing update: error validating DeltaSet: policy for "
                        + "[Policy] /Channel/Application/Startup/Writers not satisfied: ");
        assertThat(validator(GENESIS).propose(envelope(update, GOVERNOR)).getConfig().getSequence()).isEqualTo(1);
    }

    @Test
    void readSetVersionsMustBeCurrentAndTheChannelMustMatch() throws Exception {
        Config withoutStartup = edit(GENESIS, ch -> sub(ch, "Application", app -> app.toBuilder().removeGroups("Startup").build()));
        ConfigEnvelope first = validator(GENESIS).propose(envelope(ConfigUpdates.compute(CHANNEL, GENESIS, withoutStartup), GOVERNOR));
        ConfigTxValidator next = validator(first.getConfig());

        Config stale = edit(GENESIS, ch -> sub(ch, "Application", app -> app.toBuilder().removeGroups("Regulator").build()));
        assertThatThrownBy(() -> next.propose(envelope(ConfigUpdates.compute(CHANNEL, GENESIS, stale), GOVERNOR)))
                .hasMessage("error authorizing update: error validating ReadSet: proposed update requires that key "
                        + "[Group]  /Channel/Application be at version 0, but it is currently at version 1");
        ConfigUpdate elsewhere = ConfigUpdates.compute("another", GENESIS, SET_ANCHORS.apply(GENESIS));
        assertThatThrownBy(() -> validator(GENESIS).propose(envelope(elsewhere, MEMBER)))
                .hasMessage("error authorizing update: ConfigUpdate for channel 'another' but envelope for channel '" + CHANNEL + "'");
        ConfigUpdate empty = ConfigUpdate.newBuilder().setChannelId(CHANNEL)
                .setReadSet(ConfigGroup.newBuilder()).setWriteSet(ConfigGroup.newBuilder()).build();
        assertThatThrownBy(() -> validator(GENESIS).propose(envelope(empty, GOVERNOR)))
                .hasMessage("error authorizing update: error validating DeltaSet: delta set was empty -- update would have no effect");
    }
}
