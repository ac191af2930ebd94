package io.sandbox.core.fabric.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.channel.FabricPolicies;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.NodeOuRole;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChannelPoliciesTest {

    static final String CHANNEL = "sandbox-startup1";
    static final ByteString DATA = ByteString.copyFromUtf8("a proposal or a block header");

    static OrganisationMaterial regulator;
    static OrganisationMaterial startup;
    static OrganisationMaterial operator;
    static Block block;
    static ChannelPolicies policies;

    @BeforeAll
    static void channel() {
        TestChannel channel = TestChannel.generate();
        regulator = channel.regulator();
        startup = channel.startup();
        operator = channel.operator();
        block = channel.block();
        policies = ChannelPolicies.fromConfigBlock(block);
    }

    /** A regulator, a startup and an orderer organisation, and the genesis block of their channel. */
    record TestChannel(OrganisationMaterial regulator, OrganisationMaterial startup, OrganisationMaterial operator,
            Block block) {

        static TestChannel generate() {
            OrganisationMaterial regulator = OrganisationMaterial.generate(
                    OrganisationSpec.peerOrganisation("RegulatorMSP", "regulator.sandbox.test", "peer0"));
            OrganisationMaterial startup = OrganisationMaterial.generate(
                    OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0"));
            OrganisationMaterial operator = OrganisationMaterial.generate(
                    OrganisationSpec.ordererOrganisation("OperatorMSP", "operator.sandbox.test", "orderer0"));
            return new TestChannel(regulator, startup, operator,
                    GenesisBlockBuilder.build(description(regulator, startup, operator, null)));
        }
    }

    static ChannelDescription description(OrganisationMaterial regulator, OrganisationMaterial startup,
            OrganisationMaterial operator, Map<String, String> acls) {
        FabricIdentity orderer0 = operator.orderers().get(0);
        ByteString tls = pem(orderer0.tls().certificatePem());
        OrdererOrg ordererOrg = new OrdererOrg("OperatorMSP", msp(operator), List.of("orderer0.operator.sandbox.test:7050"),
                List.of(new Consenter("orderer0.operator.sandbox.test", 7050, tls, tls)));
        return new ChannelDescription(CHANNEL, ordererOrg,
                List.of(new ApplicationOrg("RegulatorMSP", msp(regulator), List.of()),
                        new ApplicationOrg("StartupMSP", msp(startup), List.of())),
                "RegulatorMSP", true, null, null, null, acls);
    }

    static Msp msp(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(pem(org.signingCa().certificatePem())),
                List.of(pem(org.tlsCa().certificatePem())), NodeOus.standard());
    }

    static ByteString pem(String text) {
        return ByteString.copyFrom(text, StandardCharsets.US_ASCII);
    }

    static ByteString serialized(FabricIdentity identity) {
        return SerializedIdentity.newBuilder()
                .setMspid(identity.mspId())
                .setIdBytes(pem(identity.signing().certificatePem()))
                .build()
                .toByteString();
    }

    static SignedData sign(FabricIdentity identity, ByteString data) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
            return new SignedData(data, serialized(identity), ByteString.copyFrom(identity.gatewaySigner().sign(digest)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static SignedData sign(FabricIdentity identity) {
        return sign(identity, DATA);
    }

    static FabricIdentity peer(OrganisationMaterial org) {
        return org.peers().get(0);
    }

    // ---- identities ---------------------------------------------------------------------------------------

    @Test
    void eachOrganisationsIdentitiesValidateWithTheirRoles() throws Exception {
        for (OrganisationMaterial org : List.of(regulator, startup, operator)) {
            for (FabricIdentity identity : org.identities()) {
                ValidatedIdentity validated = policies.validate(serialized(identity));
                assertThat(validated.mspId()).isEqualTo(org.mspId());
                assertThat(validated.roles()).containsExactly(identity.role());
                assertThat(validated.certificate()).isEqualTo(identity.signing().certificate());
            }
        }
        assertThat(policies.validate(serialized(startup.user())).roles()).containsExactly(NodeOuRole.CLIENT);
        assertThat(policies.validate(serialized(regulator.admin())).roles()).containsExactly(NodeOuRole.ADMIN);
        assertThat(policies.validate(serialized(peer(startup))).roles()).containsExactly(NodeOuRole.PEER);
        assertThat(policies.validate(serialized(operator.orderers().get(0))).roles()).containsExactly(NodeOuRole.ORDERER);
        assertThat(policies.channelId()).isEqualTo(CHANNEL);
        assertThat(policies.mspIds()).containsExactlyInAnyOrder("RegulatorMSP", "StartupMSP", "OperatorMSP");
    }

    @Test
    void identityFromAForeignCaIsRefused() {
        OrganisationMaterial impostor = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0"));
        assertThatThrownBy(() -> policies.validate(serialized(impostor.admin())))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("Admin@startup.sandbox.test")
                .hasMessageContaining("is not issued by a CA of MSP \"StartupMSP\"");

        OrganisationMaterial outsider = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("OutsiderMSP", "outsider.sandbox.test", "peer0"));
        assertThatThrownBy(() -> policies.validate(serialized(outsider.user())))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("unknown MSP \"OutsiderMSP\"");

        // A foreign identity's valid signature satisfies nothing.
        PolicyResult result = policies.evaluate("/Channel/Application/Writers", List.of(sign(impostor.user())));
        assertThat(result.satisfied()).isFalse();
        assertThat(result.explanation()).contains("StartupMSP (invalid identity: ");
    }

    @Test
    void malformedIdentitiesAreRefused() {
        assertThatThrownBy(() -> policies.validate(ByteString.copyFromUtf8("\u0001garbage")))
                .isInstanceOf(IdentityException.class);
        ByteString notPem = SerializedIdentity.newBuilder().setMspid("StartupMSP")
                .setIdBytes(ByteString.copyFromUtf8("hello")).build().toByteString();
        assertThatThrownBy(() -> policies.validate(notPem))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("not a PEM-encoded certificate");
        // A CA certificate is never an identity.
        ByteString ca = SerializedIdentity.newBuilder().setMspid("StartupMSP")
                .setIdBytes(pem(startup.signingCa().certificatePem())).build().toByteString();
        assertThatThrownBy(() -> policies.validate(ca))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("is a CA certificate");
    }

    @Test
    void expiredCertificateFails() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(30)), ZoneOffset.UTC);
        OrganisationMaterial lapsed = OrganisationMaterial.generate(OrganisationSpec
                .peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0")
                .withValidity(Duration.ofDays(3650), Duration.ofDays(1)), past);
        ChannelPolicies channel = ChannelPolicies.fromConfigBlock(
                GenesisBlockBuilder.build(description(regulator, lapsed, operator, null)));

        assertThatThrownBy(() -> channel.validate(serialized(lapsed.user())))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("User1@startup.sandbox.test")
                .hasMessageContaining("expired at");
        assertThat(channel.evaluate("/Channel/Application/Writers", List.of(sign(lapsed.user()))).satisfied()).isFalse();
        assertThat(channel.evaluate("/Channel/Application/Writers", List.of(sign(regulator.user()))).satisfied()).isTrue();

        // The same current identities, seen by a clock two years ahead.
        ChannelPolicies future = ChannelPolicies.fromConfigBlock(block,
                Clock.fixed(Instant.now().plus(Duration.ofDays(730)), ZoneOffset.UTC));
        assertThatThrownBy(() -> future.validate(serialized(startup.user())))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("expired at");
    }

    // ---- channel policies ---------------------------------------------------------------------------------

    @Test
    void writersAndReaders() {
        assertThat(policies.evaluate("/Channel/Application/Writers", List.of(sign(startup.user()))).satisfied()).isTrue();
        assertThat(policies.evaluate("/Channel/Writers", List.of(sign(startup.user()))).satisfied()).isTrue();
        assertThat(policies.evaluate("/Channel/Readers", List.of(sign(peer(regulator)))).satisfied()).isTrue();
        assertThat(policies.evaluate("/Channel/Application/Readers", List.of(sign(peer(regulator)))).satisfied()).isTrue();
        // Peers read but do not write; orderer nodes are members of the orderer org.
        PolicyResult peerWrites = policies.evaluate("/Channel/Application/Writers", List.of(sign(peer(startup))));
        assertThat(peerWrites.satisfied()).isFalse();
        assertThat(peerWrites.explanation()).contains("StartupMSP.peer");
        assertThat(policies.evaluate("/Channel/Readers", List.of(sign(operator.orderers().get(0)))).satisfied()).isTrue();
        assertThat(policies.evaluate("/Channel/Application/Readers", List.of(sign(operator.orderers().get(0)))).satisfied())
                .isFalse();
        assertThat(policies.evaluate("/Channel/Readers", List.of()).satisfied()).isFalse();
    }

    @Test
    void organisationLevelPolicies() {
        assertThat(policies.evaluate("/Channel/Application/StartupMSP/Readers", List.of(sign(peer(startup)))).satisfied())
                .isTrue();
        assertThat(policies.evaluate("/Channel/Application/StartupMSP/Readers", List.of(sign(peer(regulator)))).satisfied())
                .isFalse();
        assertThat(policies.evaluate("/Channel/Application/StartupMSP/Admins", List.of(sign(startup.admin()))).satisfied())
                .isTrue();
        assertThat(policies.evaluate("/Channel/Orderer/OperatorMSP/Writers", List.of(sign(operator.user()))).satisfied())
                .isTrue();
        // Paths relative to /Channel resolve as in Fabric's root policy manager.
        assertThat(policies.evaluate("Application/StartupMSP/Writers", List.of(sign(startup.user()))).satisfied()).isTrue();
    }

    @Test
    void applicationAdminsIsRegulatorLocked() {
        PolicyResult regulatorAdmin = policies.evaluate("/Channel/Application/Admins", List.of(sign(regulator.admin())));
        assertThat(regulatorAdmin.satisfied()).isTrue();

        PolicyResult startupAdmin = policies.evaluate("/Channel/Application/Admins", List.of(sign(startup.admin())));
        assertThat(startupAdmin.satisfied()).isFalse();
        assertThat(startupAdmin.explanation())
                .isEqualTo("needs 1 of [RegulatorMSP.admin]; got signatures from [StartupMSP.admin]");

        // /Channel/Admins = MAJORITY of {Orderer/Admins, Application/Admins}: both.
        assertThat(policies.evaluate("/Channel/Admins", List.of(sign(regulator.admin()))).satisfied()).isFalse();
        assertThat(policies.evaluate("/Channel/Admins", List.of(sign(regulator.admin()), sign(operator.admin())))
                .satisfied()).isTrue();
        assertThat(policies.evaluate("/Channel/Admins", List.of(sign(startup.admin()), sign(operator.admin())))
                .satisfied()).isFalse();
    }

    @Test
    void majorityEndorsementNeedsBothOrganisationsPeers() {
        for (String path : List.of("/Channel/Application/Endorsement", "/Channel/Application/LifecycleEndorsement")) {
            PolicyResult one = policies.evaluate(path, List.of(sign(peer(regulator))));
            assertThat(one.satisfied()).isFalse();
            assertThat(one.explanation()).contains("MAJORITY Endorsement of /Channel/Application needs 2 of 2")
                    .contains("/Channel/Application/StartupMSP/Endorsement (needs 1 of [StartupMSP.peer])");
            assertThat(policies.evaluate(path, List.of(sign(peer(regulator)), sign(peer(startup)))).satisfied()).isTrue();
            // Clients do not endorse.
            assertThat(policies.evaluate(path, List.of(sign(peer(regulator)), sign(startup.user()))).satisfied()).isFalse();
        }
    }

    @Test
    void identitiesAloneDecideAPlanButNeverAValidation() {
        String path = "/Channel/Application/Endorsement";
        assertThat(policies.evaluateIdentities(path, List.of(serialized(peer(regulator)))).satisfied()).isFalse();
        assertThat(policies.evaluateIdentities(path, List.of(serialized(peer(regulator)), serialized(peer(startup))))
                .satisfied()).isTrue();
        assertThat(policies.evaluateIdentities(path, List.of(serialized(peer(regulator)), serialized(startup.user())))
                .satisfied()).isFalse();
        OrganisationMaterial impostor = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0"));
        assertThat(policies.evaluateIdentities(path, List.of(serialized(peer(regulator)), serialized(peer(impostor))))
                .satisfied()).isFalse();
        // the same identities without valid signatures satisfy no evaluation
        SignedData unsigned = new SignedData(DATA, serialized(peer(startup)), ByteString.EMPTY);
        assertThat(policies.evaluate(path, List.of(sign(peer(regulator)), unsigned)).satisfied()).isFalse();
    }

    @Test
    void blockValidationNeedsTheOrderingOrganisation() {
        assertThat(policies.evaluate("/Channel/Orderer/BlockValidation", List.of(sign(operator.orderers().get(0))))
                .satisfied()).isTrue();
        assertThat(policies.evaluate("/Channel/Orderer/BlockValidation", List.of(sign(peer(regulator)))).satisfied())
                .isFalse();
    }

    @Test
    void tamperedSignatureOrDataFails() {
        SignedData good = sign(startup.user());
        byte[] signature = good.signature().toByteArray();
        signature[signature.length - 1] ^= 0x01;
        SignedData badSignature = new SignedData(good.data(), good.identity(), ByteString.copyFrom(signature));
        SignedData badData = new SignedData(ByteString.copyFromUtf8("something else"), good.identity(), good.signature());
        SignedData wrongSigner = new SignedData(good.data(), serialized(regulator.user()), good.signature());

        assertThat(policies.evaluate("/Channel/Application/Writers", List.of(good)).satisfied()).isTrue();
        for (SignedData bad : List.of(badSignature, badData, wrongSigner)) {
            PolicyResult result = policies.evaluate("/Channel/Application/Writers", List.of(bad));
            assertThat(result.satisfied()).isFalse();
            assertThat(result.explanation()).contains("got signatures from []").contains("ignored");
        }
    }

    @Test
    void highSSignatureIsRejectedLikeFabric() throws Exception {
        SignedData good = sign(startup.user());
        ASN1Sequence sequence = ASN1Sequence.getInstance(good.signature().toByteArray());
        BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
        BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
        BigInteger n = ((ECPublicKey) startup.user().signing().certificate().getPublicKey()).getParams().getOrder();
        ASN1EncodableVector highS = new ASN1EncodableVector();
        highS.add(new ASN1Integer(r));
        highS.add(new ASN1Integer(n.subtract(s)));
        SignedData malleated = new SignedData(good.data(), good.identity(),
                ByteString.copyFrom(new DERSequence(highS).getEncoded()));

        PolicyResult result = policies.evaluate("/Channel/Application/Writers", List.of(malleated));
        assertThat(result.satisfied()).isFalse();
        assertThat(result.explanation()).contains("high-S");
    }

    @Test
    void duplicateSignaturesFromOneIdentityCountOnce() {
        SignedData peer = sign(peer(regulator));
        PolicyResult twice = policies.evaluate("/Channel/Application/Endorsement",
                List.of(peer, peer, sign(peer(regulator), ByteString.copyFromUtf8("other data"))));
        assertThat(twice.satisfied()).isFalse();
        assertThat(twice.explanation()).contains("duplicate signature of RegulatorMSP");

        ChannelPolicies custom = withApplicationPolicy("TwoRegulatorMembers", FabricPolicies.nOutOf(2,
                FabricPolicies.principal("RegulatorMSP", MSPRoleType.MEMBER),
                FabricPolicies.principal("RegulatorMSP", MSPRoleType.MEMBER)));
        String path = "/Channel/Application/TwoRegulatorMembers";
        assertThat(custom.evaluate(path, List.of(sign(regulator.admin()), sign(regulator.admin()))).satisfied()).isFalse();
        assertThat(custom.evaluate(path, List.of(sign(regulator.admin()))).satisfied()).isFalse();
        assertThat(custom.evaluate(path, List.of(sign(regulator.admin()), sign(peer(regulator)))).satisfied()).isTrue();
    }

    @Test
    void eachSignatureServesOnePrincipalInFabricsGreedyOrder() {
        // cauthdsl: OutOf(2, member, admin) with [admin, peer]: the member rule takes the admin's signature first,
        // leaving only the peer for the admin rule, so Fabric says no; with [peer, admin] it says yes.
        ChannelPolicies custom = withApplicationPolicy("MemberAndAdmin", FabricPolicies.nOutOf(2,
                FabricPolicies.principal("RegulatorMSP", MSPRoleType.MEMBER),
                FabricPolicies.principal("RegulatorMSP", MSPRoleType.ADMIN)));
        String path = "/Channel/Application/MemberAndAdmin";
        assertThat(custom.evaluate(path, List.of(sign(regulator.admin()), sign(peer(regulator)))).satisfied()).isFalse();
        assertThat(custom.evaluate(path, List.of(sign(peer(regulator)), sign(regulator.admin()))).satisfied()).isTrue();
        PolicyResult result = custom.evaluate(path, List.of(sign(peer(regulator))));
        assertThat(result.explanation()).startsWith("needs 2 of [RegulatorMSP.member, RegulatorMSP.admin]");
    }

    @Test
    void unknownPolicyPathIsNeverSatisfied() {
        PolicyResult result = policies.evaluate("/Channel/Application/Nope", List.of(sign(regulator.admin())));
        assertThat(result.satisfied()).isFalse();
        assertThat(result.explanation()).contains("no policy at /Channel/Application/Nope");
        assertThat(policies.evaluate("/Other/Readers", List.of(sign(regulator.admin()))).satisfied()).isFalse();
        assertThat(policies.hasPolicy("/Channel/Orderer/BlockValidation")).isTrue();
        assertThat(policies.hasPolicy("/Channel/Application/Nope")).isFalse();
    }

    // ---- ACLs ---------------------------------------------------------------------------------------------

    @Test
    void aclResolutionUsesChannelAclsThenFabricDefaults() {
        assertThat(policies.aclPolicy("event/Block")).isEqualTo("/Channel/Application/Readers");
        assertThat(policies.aclPolicy("peer/Propose")).isEqualTo("/Channel/Application/Writers");
        assertThat(policies.aclPolicy("qscc/GetChainInfo")).isEqualTo("/Channel/Application/Readers");
        assertThat(policies.aclPolicy("gateway/CommitStatus")).isEqualTo("/Channel/Application/Readers");

        ChannelPolicies noAcls = ChannelPolicies.fromConfigBlock(
                GenesisBlockBuilder.build(description(regulator, startup, operator, Map.of())));
        assertThat(noAcls.aclPolicy("event/Block")).isEqualTo("/Channel/Application/Readers");
        assertThat(noAcls.aclPolicy("peer/Propose")).isEqualTo("/Channel/Application/Writers");

        ChannelPolicies custom = ChannelPolicies.fromConfigBlock(GenesisBlockBuilder.build(description(
                regulator, startup, operator, Map.of("event/Block", "Admins", "peer/Propose", "/Channel/Writers"))));
        assertThat(custom.aclPolicy("event/Block")).isEqualTo("/Channel/Application/Admins");
        assertThat(custom.aclPolicy("peer/Propose")).isEqualTo("/Channel/Writers");
        assertThat(custom.aclPolicy("qscc/GetChainInfo")).isEqualTo("/Channel/Application/Readers");

        assertThatThrownBy(() -> policies.aclPolicy("_lifecycle/InstallChaincode"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("peer-local");
        assertThatThrownBy(() -> policies.aclPolicy("nope/Nothing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unmapped policy for nope/Nothing");
    }

    @Test
    void fromConfigAndRejectsNonConfigBlocks() throws Exception {
        Config config = config(block);
        ChannelPolicies bare = ChannelPolicies.fromConfig(config);
        assertThat(bare.channelId()).isEmpty();
        assertThat(bare.evaluate("/Channel/Application/Writers", List.of(sign(startup.user()))).satisfied()).isTrue();
        assertThatThrownBy(() -> ChannelPolicies.fromConfigBlock(Block.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentEvaluationIsSafe() throws Exception {
        List<SignedData> both = List.of(sign(peer(regulator)), sign(peer(startup)));
        var results = java.util.stream.IntStream.range(0, 64).parallel()
                .mapToObj(i -> policies.evaluate("/Channel/Application/Endorsement", both).satisfied())
                .toList();
        assertThat(results).containsOnly(true);
        assertThat(Set.copyOf(results)).hasSize(1);
    }

    static Config config(Block configBlock) throws Exception {
        Payload payload = Payload.parseFrom(Envelope.parseFrom(configBlock.getData().getData(0)).getPayload());
        return ConfigEnvelope.parseFrom(payload.getData()).getConfig();
    }

    static ChannelPolicies withApplicationPolicy(String name, Policy policy) {
        try {
            Config config = config(block);
            ConfigGroup channel = config.getChannelGroup();
            ConfigGroup application = channel.getGroupsOrThrow("Application").toBuilder()
                    .putPolicies(name, ConfigPolicy.newBuilder().setPolicy(policy).setModPolicy("Admins").build())
                    .build();
            Config changed = config.toBuilder()
                    .setChannelGroup(channel.toBuilder().putGroups("Application", application))
                    .build();
            return ChannelPolicies.fromConfig(CHANNEL, changed);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
