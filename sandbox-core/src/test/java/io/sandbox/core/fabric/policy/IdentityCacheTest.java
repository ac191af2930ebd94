package io.sandbox.core.fabric.policy;

import static io.sandbox.core.fabric.policy.ChannelPoliciesTest.description;
import static io.sandbox.core.fabric.policy.ChannelPoliciesTest.serialized;
import static io.sandbox.core.fabric.policy.ChannelPoliciesTest.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.CertifiedKey;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.NodeOuRole;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache of validated identities in {@link ChannelPolicies}: a known identity skips re-validation, but never
 * its signature check, never past its certificates' validity, and never under another config.
 */
class IdentityCacheTest {

    static OrganisationMaterial regulator;
    static OrganisationMaterial startup;
    static OrganisationMaterial operator;
    static Block block;

    @BeforeAll
    static void channel() {
        ChannelPoliciesTest.TestChannel channel = ChannelPoliciesTest.TestChannel.generate();
        regulator = channel.regulator();
        startup = channel.startup();
        operator = channel.operator();
        block = channel.block();
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aKnownIdentityStillHasEachSignatureVerified() throws Exception {
        ChannelPolicies policies = ChannelPolicies.fromConfigBlock(block);
        ByteString user = serialized(startup.user());
        ValidatedIdentity first = policies.validate(user);
        ValidatedIdentity again = policies.validate(user);
        assertThat(again).isEqualTo(first);
        assertThat(again.roles()).containsExactly(NodeOuRole.CLIENT);

        SignedData good = sign(startup.user());
        assertThat(policies.evaluate("/Channel/Application/Writers", List.of(good)).satisfied()).isTrue();
        SignedData tampered = new SignedData(ByteString.copyFromUtf8("other data"), good.identity(), good.signature());
        PolicyResult result = policies.evaluate("/Channel/Application/Writers", List.of(tampered));
        assertThat(result.satisfied()).isFalse();
        assertThat(result.explanation()).contains("signature does not verify");
        assertThat(policies.evaluate("/Channel/Application/Writers", List.of(good)).satisfied()).isTrue();
    }

    @Test
    void aCachedIdentityExpiresWithItsCertificate() throws Exception {
        MovableClock clock = new MovableClock();
        OrganisationMaterial shortLived = OrganisationMaterial.generate(OrganisationSpec
                .peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0")
                .withValidity(Duration.ofDays(3650), Duration.ofDays(2)));
        ChannelPolicies policies = ChannelPolicies.fromConfigBlock(
                GenesisBlockBuilder.build(description(regulator, shortLived, operator, null)), clock);
        ByteString user = serialized(shortLived.user());
        assertThat(policies.validate(user).roles()).containsExactly(NodeOuRole.CLIENT);
        assertThat(policies.evaluate("/Channel/Application/Writers", List.of(sign(shortLived.user()))).satisfied())
                .isTrue();

        clock.now = clock.now.plus(Duration.ofDays(3));
        assertThatThrownBy(() -> policies.validate(user))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("expired at");
        assertThat(policies.evaluate("/Channel/Application/Writers", List.of(sign(shortLived.user()))).satisfied())
                .isFalse();
        // the CA lives on: its other, long-lived identities are unaffected
        assertThat(policies.validate(serialized(regulator.user())).roles()).containsExactly(NodeOuRole.CLIENT);

        clock.now = clock.now.minus(Duration.ofDays(30));
        assertThatThrownBy(() -> policies.validate(user))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("is not valid before");
    }

    @Test
    void aNewConfigDropsTheCacheSoARevocationTakesEffect() throws Exception {
        ChannelPolicies before = ChannelPolicies.fromConfigBlock(block);
        ByteString user = serialized(startup.user());
        assertThat(before.validate(user).roles()).containsExactly(NodeOuRole.CLIENT);

        ChannelPolicies after = ChannelPolicies.fromConfig(ChannelPoliciesTest.CHANNEL,
                revoking(config(block), "StartupMSP", startup.signingCa(), startup.user()));
        assertThatThrownBy(() -> after.validate(user))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("has been revoked");
        assertThatThrownBy(() -> after.validate(user))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("has been revoked");
        assertThat(after.evaluate("/Channel/Application/Writers", List.of(sign(startup.user()))).satisfied()).isFalse();
        assertThat(after.validate(serialized(startup.admin())).roles()).containsExactly(NodeOuRole.ADMIN);
        // the old config's view is its own
        assertThat(before.validate(user).roles()).containsExactly(NodeOuRole.CLIENT);
    }

    @Test
    void unknownIdentitiesFailEveryTime() throws Exception {
        ChannelPolicies policies = ChannelPolicies.fromConfigBlock(block);
        assertThat(policies.validate(serialized(startup.user())).mspId()).isEqualTo("StartupMSP");
        OrganisationMaterial impostor = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0"));
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> policies.validate(serialized(impostor.user())))
                    .isInstanceOf(IdentityException.class)
                    .hasMessageContaining("is not issued by a CA of MSP \"StartupMSP\"");
            assertThat(policies.evaluate("/Channel/Application/Writers", List.of(sign(impostor.user()))).satisfied())
                    .isFalse();
        }
    }

    @Test
    void theCacheIsBoundedAndForgottenIdentitiesValidateAgain() throws Exception {
        ChannelPolicies policies = ChannelPolicies.fromConfigBlock(block);
        FabricIdentity user = startup.user();
        assertThat(policies.validate(serialized(user)).roles()).containsExactly(NodeOuRole.CLIENT);
        // Distinct serializations of the same certificate (trailing text after the PEM block) are distinct entries.
        for (int i = 0; i < 5000; i++) {
            ByteString variant = org.hyperledger.fabric.protos.msp.SerializedIdentity.newBuilder()
                    .setMspid("StartupMSP")
                    .setIdBytes(ByteString.copyFromUtf8(user.signing().certificatePem() + "#" + i))
                    .build().toByteString();
            assertThat(policies.validate(variant).roles()).containsExactly(NodeOuRole.CLIENT);
        }
        assertThat(policies.validate(serialized(user)).roles()).containsExactly(NodeOuRole.CLIENT);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static Config config(Block configBlock) throws Exception {
        Envelope envelope = Envelope.parseFrom(configBlock.getData().getData(0));
        return ConfigEnvelope.parseFrom(Payload.parseFrom(envelope.getPayload()).getData()).getConfig();
    }

    /** The config with a CRL of {@code ca} revoking {@code identity} added to the application org's MSP. */
    static Config revoking(Config config, String mspId, CertifiedKey ca, FabricIdentity identity) throws Exception {
        Date now = new Date();
        X509v2CRLBuilder crl = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), now);
        crl.addCRLEntry(identity.signing().certificate().getSerialNumber(), now, CRLReason.keyCompromise);
        crl.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(1))));
        byte[] der = crl.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())).getEncoded();
        String pem = "-----BEGIN X509 CRL-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END X509 CRL-----\n";

        ConfigGroup application = config.getChannelGroup().getGroupsOrThrow("Application");
        ConfigGroup org = application.getGroupsOrThrow(mspId);
        ConfigValue mspValue = org.getValuesOrThrow("MSP");
        MSPConfig msp = MSPConfig.parseFrom(mspValue.getValue());
        FabricMSPConfig fabric = FabricMSPConfig.parseFrom(msp.getConfig()).toBuilder()
                .addRevocationList(ByteString.copyFrom(pem, StandardCharsets.US_ASCII)).build();
        ConfigValue newValue = mspValue.toBuilder()
                .setValue(msp.toBuilder().setConfig(fabric.toByteString()).build().toByteString()).build();
        ConfigGroup newOrg = org.toBuilder().putValues("MSP", newValue).build();
        ConfigGroup newApplication = application.toBuilder().putGroups(mspId, newOrg).build();
        return config.toBuilder()
                .setChannelGroup(config.getChannelGroup().toBuilder().putGroups("Application", newApplication))
                .build();
    }
}
