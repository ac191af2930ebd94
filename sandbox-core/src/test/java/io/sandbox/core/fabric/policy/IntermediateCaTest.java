package io.sandbox.core.fabric.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.channel.FabricPolicies;
import io.sandbox.core.fabric.identity.NodeOuRole;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.junit.jupiter.api.Test;

/** An MSP with an intermediate CA, built by hand: identities must come from the intermediate. */
class IntermediateCaTest {

    record Issued(X509Certificate certificate, PrivateKey key) {}

    static long serial = 1;

    static Issued issue(String subject, Issued issuer, boolean ca) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name issuerName = issuer == null ? new X500Name(subject)
                : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        var builder = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(serial++),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(10))),
                new X500Name(subject), keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        PrivateKey signer = issuer == null ? keys.getPrivate() : issuer.key();
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        return new Issued(certificate, keys.getPrivate());
    }

    static ByteString pem(X509Certificate certificate) throws Exception {
        return ByteString.copyFromUtf8("-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    }

    static ByteString serialized(Issued identity) throws Exception {
        return SerializedIdentity.newBuilder().setMspid("ChainMSP").setIdBytes(pem(identity.certificate()))
                .build().toByteString();
    }

    @Test
    void identitiesChainThroughTheIntermediateOnly() throws Exception {
        Issued root = issue("CN=root,O=chain", null, true);
        Issued intermediate = issue("CN=intermediate,O=chain", root, true);
        Issued client = issue("CN=client,OU=client,O=chain", intermediate, false);
        Issued fromRoot = issue("CN=direct,OU=client,O=chain", root, false);
        Issued noRole = issue("CN=norole,OU=sales,O=chain", intermediate, false);

        FabricOUIdentifier clientOu = FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier("client").build();
        FabricMSPConfig msp = FabricMSPConfig.newBuilder()
                .setName("ChainMSP")
                .addRootCerts(pem(root.certificate()))
                .addIntermediateCerts(pem(intermediate.certificate()))
                .setFabricNodeOus(FabricNodeOUs.newBuilder().setEnable(true).setClientOuIdentifier(clientOu)
                        .setPeerOuIdentifier(FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier("peer"))
                        .setAdminOuIdentifier(FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier("admin")))
                .build();
        ConfigGroup orgGroup = ConfigGroup.newBuilder()
                .putValues("MSP", ConfigValue.newBuilder().setValue(MSPConfig.newBuilder().setType(0)
                        .setConfig(msp.toByteString()).build().toByteString()).build())
                .putPolicies("Writers", ConfigPolicy.newBuilder().setPolicy(FabricPolicies.anyOf(
                        FabricPolicies.principal("ChainMSP", MSPRoleType.CLIENT))).build())
                .build();
        Config config = Config.newBuilder().setChannelGroup(ConfigGroup.newBuilder()
                .putGroups("Application", ConfigGroup.newBuilder().putGroups("ChainOrg", orgGroup).build())).build();
        ChannelPolicies policies = ChannelPolicies.fromConfig("chain", config);

        assertThat(policies.validate(serialized(client)).roles()).containsExactly(NodeOuRole.CLIENT);
        assertThatThrownBy(() -> policies.validate(serialized(fromRoot)))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("not a leaf of its certification tree");
        assertThatThrownBy(() -> policies.validate(serialized(noRole)))
                .isInstanceOf(IdentityException.class)
                .hasMessageContaining("has no NodeOU role");

        var digest = java.security.MessageDigest.getInstance("SHA-256").digest("tx".getBytes());
        var ecdsa = java.security.Signature.getInstance("NONEwithECDSA");
        ecdsa.initSign(client.key());
        ecdsa.update(digest);
        byte[] signature = ecdsa.sign();
        // Normalise to low S as Fabric signers do.
        var seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(signature);
        BigInteger r = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
        BigInteger s = org.bouncycastle.asn1.ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
        BigInteger n = ((java.security.interfaces.ECPublicKey) client.certificate().getPublicKey()).getParams().getOrder();
        if (s.compareTo(n.shiftRight(1)) > 0) {
            s = n.subtract(s);
        }
        var v = new org.bouncycastle.asn1.ASN1EncodableVector();
        v.add(new org.bouncycastle.asn1.ASN1Integer(r));
        v.add(new org.bouncycastle.asn1.ASN1Integer(s));
        SignedData signed = new SignedData(ByteString.copyFromUtf8("tx"), serialized(client),
                ByteString.copyFrom(new org.bouncycastle.asn1.DERSequence(v).getEncoded()));
        assertThat(policies.evaluate("/Channel/Application/ChainOrg/Writers", List.of(signed)).satisfied()).isTrue();
    }
}
