package io.sandbox.devnet.peer.validation;

import static io.sandbox.devnet.peer.validation.TxFixtures.CHANNEL;
import static io.sandbox.devnet.peer.validation.TxFixtures.ORDERER_ORG;
import static io.sandbox.devnet.peer.validation.TxFixtures.REGULATOR;
import static io.sandbox.devnet.peer.validation.TxFixtures.STARTUP;
import static io.sandbox.devnet.peer.validation.TxFixtures.block;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.admin.AdminIdentity;
import io.sandbox.core.fabric.admin.ChannelConfigClient;
import io.sandbox.core.fabric.channel.ConfigTxValidator;
import io.sandbox.core.fabric.channel.ConfigUpdates;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.devnet.peer.state.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The committing peer's check of a CONFIG transaction ({@code ChannelResources.Apply}): only a config envelope that
 * is the next sequence and exactly what its authorized last update produces changes the channel's config.
 */
class ConfigTransactionValidationTest {

    static final Block GENESIS = TxFixtures.genesis();
    static final FabricIdentity ORDERER0 = ORDERER_ORG.orderers().get(0);
    static final AdminIdentity GOVERNOR = AdminIdentity.of(REGULATOR.admin());
    static final AdminIdentity MEMBER = AdminIdentity.of(STARTUP.admin());

    final List<Block> stored = new ArrayList<>();
    BlockCommitter committer;
    Config genesisConfig;

    @BeforeEach
    void channel() {
        ChannelPolicies policies = ChannelPolicies.fromConfigBlock(GENESIS);
        genesisConfig = policies.config();
        committer = new BlockCommitter(new WorldState(CHANNEL), policies, EndorsementPolicies.channelDefault(), stored::add);
        committer.commit(GENESIS);
    }

    @Test
    void anAuthorizedUpdateAppliesItsConfig() throws Exception {
        ConfigEnvelope proposed = new ConfigTxValidator(CHANNEL, committer.policies())
                .propose(updateEnvelope(lockChainInfo(genesisConfig), GOVERNOR));

        BlockCommitter.Committed committed = committer.commit(block(stored.getLast(), configTx(proposed)));

        assertThat(committed.validation().codes()).containsExactly(TxValidationCode.VALID);
        assertThat(committer.policies().config().getSequence()).isEqualTo(1);
        assertThat(committer.policies().aclPolicy("qscc/GetChainInfo")).isEqualTo("/Channel/Application/Admins");
    }

    @Test
    void anUpdateNotSignedAsTheModPoliciesRequireIsAnInvalidConfigTransaction() {
        // what an orderer that skipped the authorization would have written: the member alone changing an ACL
        Config wanted = lockChainInfo(genesisConfig);
        ConfigEnvelope forged = ConfigEnvelope.newBuilder()
                .setConfig(wanted.toBuilder().setSequence(1))
                .setLastUpdate(updateEnvelope(wanted, MEMBER)).build();

        BlockCommitter.Committed committed = committer.commit(block(stored.getLast(), configTx(forged)));

        assertThat(committed.validation().codes()).containsExactly(TxValidationCode.INVALID_CONFIG_TRANSACTION);
        assertThat(committed.validation().reasons().get(0)).contains(
                "error validating DeltaSet: policy for [Value]  /Channel/Application/ACLs not satisfied");
        assertThat(committer.policies().config().getSequence()).isZero();
        assertThat(committer.policies().aclPolicy("qscc/GetChainInfo")).isEqualTo("/Channel/Application/Readers");
    }

    @Test
    void aConfigOtherThanTheUpdatesResultOrAtAnotherSequenceIsInvalid() throws Exception {
        ConfigEnvelope proposed = new ConfigTxValidator(CHANNEL, committer.policies())
                .propose(updateEnvelope(lockChainInfo(genesisConfig), GOVERNOR));
        ConfigGroup channel = proposed.getConfig().getChannelGroup();
        ConfigEnvelope tampered = proposed.toBuilder().setConfig(proposed.getConfig().toBuilder().setChannelGroup(channel.toBuilder()
                .putGroups("Application", channel.getGroupsOrThrow("Application").toBuilder().removeGroups("Startup").build())))
                .build();
        ConfigEnvelope skipping = proposed.toBuilder().setConfig(proposed.getConfig().toBuilder().setSequence(2)).build();

        BlockCommitter.Committed first = committer.commit(block(stored.getLast(), configTx(tampered)));
        BlockCommitter.Committed second = committer.commit(block(stored.getLast(), configTx(skipping)));

        assertThat(first.validation().codes()).containsExactly(TxValidationCode.INVALID_CONFIG_TRANSACTION);
        assertThat(first.validation().reasons().get(0)).endsWith("ConfigEnvelope LastUpdate did not produce the supplied config result");
        assertThat(second.validation().codes()).containsExactly(TxValidationCode.INVALID_CONFIG_TRANSACTION);
        assertThat(second.validation().reasons().get(0)).endsWith("config currently at sequence 0, cannot validate config at sequence 2");
        assertThat(committer.policies().config().getSequence()).isZero();
    }

    private static Config lockChainInfo(Config config) {
        try {
            ConfigGroup channel = config.getChannelGroup();
            ConfigGroup app = channel.getGroupsOrThrow("Application");
            ACLs acls = ACLs.parseFrom(app.getValuesOrThrow("ACLs").getValue()).toBuilder()
                    .putAcls("qscc/GetChainInfo", APIResource.newBuilder().setPolicyRef("/Channel/Application/Admins").build())
                    .build();
            ConfigGroup changed = app.toBuilder().putValues("ACLs", app.getValuesOrThrow("ACLs").toBuilder()
                    .setValue(acls.toByteString()).build()).build();
            return config.toBuilder().setChannelGroup(channel.toBuilder().putGroups("Application", changed)).build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CONFIG_UPDATE envelope for the change from the genesis config, signed by {@code signer}. */
    private Envelope updateEnvelope(Config wanted, AdminIdentity signer) {
        ConfigUpdate update = ConfigUpdates.compute(CHANNEL, genesisConfig, wanted);
        ConfigUpdateEnvelope body = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString())
                .addSignatures(ChannelConfigClient.sign(update, signer)).build();
        return envelope(HeaderType.CONFIG_UPDATE, REGULATOR.admin(), body.toByteString());
    }

    /** The CONFIG envelope an orderer writes, signed by the orderer node. */
    private static Envelope configTx(ConfigEnvelope config) {
        return envelope(HeaderType.CONFIG, ORDERER0, config.toByteString());
    }

    private static Envelope envelope(HeaderType type, FabricIdentity signer, ByteString data) {
        ChannelHeader chdr = ChannelHeader.newBuilder().setType(type.getNumber()).setChannelId(CHANNEL).build();
        SignatureHeader shdr = SignatureHeader.newBuilder().setCreator(TxFixtures.serialized(signer))
                .setNonce(ByteString.copyFromUtf8("nonce-of-24-bytes-length")).build();
        ByteString payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(chdr.toByteString())
                .setSignatureHeader(shdr.toByteString())).setData(data).build().toByteString();
        return Envelope.newBuilder().setPayload(payload).setSignature(TxFixtures.sign(signer, payload)).build();
    }
}
