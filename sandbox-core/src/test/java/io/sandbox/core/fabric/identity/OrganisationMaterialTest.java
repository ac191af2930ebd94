package io.sandbox.core.fabric.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrganisationMaterialTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private static OrganisationMaterial regulator;
    private static OrganisationMaterial operator;

    @BeforeAll
    static void generate() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        regulator = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("RegulatorMSP", "regulator.sandbox.test", "peer0", "peer1"), clock);
        operator = OrganisationMaterial.generate(
                OrganisationSpec.ordererOrganisation("OperatorMSP", "operator.sandbox.test", "orderer0"), clock);
    }

    @Test
    void generatesAdminUserAndNodesWithCryptogenNames() {
        assertThat(regulator.admin().name()).isEqualTo("Admin@regulator.sandbox.test");
        assertThat(regulator.user().name()).isEqualTo("User1@regulator.sandbox.test");
        assertThat(regulator.peers()).extracting(FabricIdentity::name)
                .containsExactly("peer0.regulator.sandbox.test", "peer1.regulator.sandbox.test");
        assertThat(regulator.orderers()).isEmpty();
        assertThat(operator.orderers()).extracting(FabricIdentity::name).containsExactly("orderer0.operator.sandbox.test");
        assertThat(regulator.identities()).hasSize(4).allMatch(i -> i.mspId().equals("RegulatorMSP"));
        assertThat(regulator.identity("peer1")).contains(regulator.peers().get(1));
        assertThat(regulator.identity("Admin@regulator.sandbox.test")).contains(regulator.admin());
        assertThat(regulator.identity("nobody")).isEmpty();
        assertThat(regulator.signingCa().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=ca.regulator.sandbox.test,O=regulator.sandbox.test");
        assertThat(regulator.tlsCa().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=tlsca.regulator.sandbox.test,O=regulator.sandbox.test");
    }

    @Test
    void caCertificatesAreSelfSignedP256CasWithCertSignAndCrlSign() throws Exception {
        for (OrganisationMaterial org : List.of(regulator, operator)) {
            for (CertifiedKey ca : List.of(org.signingCa(), org.tlsCa())) {
                X509Certificate cert = ca.certificate();
                cert.verify(cert.getPublicKey());
                assertThat(cert.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
                assertThat(cert.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE); // CA:true, no path length
                assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
                boolean[] keyUsage = cert.getKeyUsage();
                assertThat(keyUsage[5]).as("keyCertSign").isTrue();
                assertThat(keyUsage[6]).as("cRLSign").isTrue();
                assertThat(keyUsage[0]).as("digitalSignature").isFalse();
                assertThat(ski(cert)).hasSize(32);
                assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
                assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                        .isEqualTo(256);
            }
            assertThat(org.signingCa().certificate().getPublicKey()).isNotEqualTo(org.tlsCa().certificate().getPublicKey());
        }
    }

    @Test
    void identityCertificatesChainToTheSigningCaOnly() throws Exception {
        for (OrganisationMaterial org : List.of(regulator, operator)) {
            for (FabricIdentity identity : org.identities()) {
                X509Certificate cert = identity.signing().certificate();
                assertChainsTo(cert, org.signingCa().certificate());
                assertDoesNotChainTo(cert, org.tlsCa().certificate());
                assertThat(cert.getBasicConstraints()).isEqualTo(-1);
                assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
                assertThat(cert.getExtendedKeyUsage()).isNull();
                assertThat(aki(cert)).isEqualTo(ski(org.signingCa().certificate()));
                assertThat(ski(cert)).isEqualTo(CertificateIssuer.keyIdentifier(cert.getPublicKey()));
            }
        }
    }

    @Test
    void tlsCertificatesChainToTheTlsCaOnly() throws Exception {
        for (OrganisationMaterial org : List.of(regulator, operator)) {
            for (FabricIdentity identity : org.identities()) {
                X509Certificate cert = identity.tls().certificate();
                assertChainsTo(cert, org.tlsCa().certificate());
                assertDoesNotChainTo(cert, org.signingCa().certificate());
                assertThat(aki(cert)).isEqualTo(ski(org.tlsCa().certificate()));
                assertThat(organizationalUnits(cert)).isEmpty();
            }
        }
        assertDoesNotChainTo(regulator.peers().get(0).tls().certificate(), operator.tlsCa().certificate());
    }

    @Test
    void subjectCarriesExactlyOneNodeOuPerRole() throws Exception {
        assertThat(organizationalUnits(regulator.admin().signing().certificate())).containsExactly("admin");
        assertThat(organizationalUnits(regulator.user().signing().certificate())).containsExactly("client");
        assertThat(organizationalUnits(regulator.peers().get(0).signing().certificate())).containsExactly("peer");
        assertThat(organizationalUnits(operator.orderers().get(0).signing().certificate())).containsExactly("orderer");
        assertThat(regulator.admin().role()).isEqualTo(NodeOuRole.ADMIN);
        assertThat(operator.orderers().get(0).role()).isEqualTo(NodeOuRole.ORDERER);
        assertThat(regulator.peers().get(0).signing().certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=peer0.regulator.sandbox.test,OU=peer,O=regulator.sandbox.test");
    }

    @Test
    void nodeTlsCertificatesAreServerAndClientWithSans() throws Exception {
        X509Certificate peer = regulator.peers().get(0).tls().certificate();
        assertThat(peer.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
        assertThat(peer.getKeyUsage()[0]).isTrue();
        assertThat(sans(peer)).containsExactlyInAnyOrder(
                List.of(2, "peer0.regulator.sandbox.test"), List.of(2, "peer0"), List.of(2, "localhost"),
                List.of(7, "127.0.0.1"));
        X509Certificate orderer = operator.orderers().get(0).tls().certificate();
        assertThat(sans(orderer)).contains(List.of(2, "orderer0.operator.sandbox.test"), List.of(7, "127.0.0.1"));
        assertThat(orderer.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    }

    @Test
    void adminAndUserGetTlsClientCertificates() throws Exception {
        for (FabricIdentity identity : List.of(regulator.admin(), regulator.user())) {
            X509Certificate cert = identity.tls().certificate();
            assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
            assertThat(cert.getSubjectAlternativeNames()).isNull();
            assertThat(cert.getSubjectX500Principal().getName()).startsWith("CN=" + identity.name() + ",");
        }
    }

    @Test
    void validityIsBackdatedOneHourWithCryptogenCaLifetimeAndOneYearLeaves() {
        Instant notBefore = NOW.minus(Duration.ofHours(1));
        X509Certificate ca = regulator.signingCa().certificate();
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(notBefore);
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(notBefore.plus(Duration.ofDays(3650)));
        for (FabricIdentity identity : regulator.identities()) {
            for (CertifiedKey key : List.of(identity.signing(), identity.tls())) {
                assertThat(key.certificate().getNotBefore().toInstant()).isEqualTo(notBefore);
                assertThat(key.certificate().getNotAfter().toInstant()).isEqualTo(notBefore.plus(Duration.ofDays(365)));
            }
        }
        var custom = OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("X", "x.test")
                .withValidity(Duration.ofDays(30), Duration.ofDays(7)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(custom.admin().signing().certificate().getNotAfter().toInstant())
                .isEqualTo(notBefore.plus(Duration.ofDays(7)));
        assertThat(custom.peers()).isEmpty();
    }

    @Test
    void gatewaySignerSignaturesVerifyWithTheCertificateAndAreLowS() throws Exception {
        FabricIdentity peer = regulator.peers().get(0);
        X509Identity identity = peer.gatewayIdentity();
        assertThat(identity.getMspId()).isEqualTo("RegulatorMSP");
        assertThat(identity.getCertificate()).isEqualTo(peer.signing().certificate());

        Signer signer = peer.gatewaySigner();
        BigInteger order = ((ECPublicKey) identity.getCertificate().getPublicKey()).getParams().getOrder();
        for (int i = 0; i < 24; i++) {
            byte[] message = ("proposal " + i).getBytes(StandardCharsets.UTF_8);
            // fabric-gateway hands the signer the SHA-256 digest of the message.
            byte[] signature = signer.sign(MessageDigest.getInstance("SHA-256").digest(message));

            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(identity.getCertificate());
            verifier.update(message);
            assertThat(verifier.verify(signature)).isTrue();
            BigInteger s = ASN1Integer.getInstance(ASN1Sequence.getInstance(signature).getObjectAt(1)).getValue();
            assertThat(s).isLessThanOrEqualTo(order.shiftRight(1));
        }
    }

    @Test
    void specRejectsInvalidInput() {
        assertThatThrownBy(() -> OrganisationSpec.peerOrganisation("bad msp", "x.test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mspId");
        assertThatThrownBy(() -> OrganisationSpec.peerOrganisation("X", "not_a_domain"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("domain");
        assertThatThrownBy(() -> OrganisationSpec.peerOrganisation("X", "x.test", "peer0", "peer0.x.test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> OrganisationSpec.peerOrganisation("X", "x.test")
                .withValidity(Duration.ofDays(1), Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identityValidity");
        assertThatThrownBy(() -> OrganisationSpec.peerOrganisation(null, "x.test"))
                .isInstanceOf(NullPointerException.class).hasMessage("mspId");
        assertThat(OrganisationSpec.peerOrganisation("X", "X.Test", "Peer0").peerHostnames()).containsExactly("peer0");
    }

    @Test
    void toStringNeverShowsKeys() {
        assertThat(regulator.admin().toString()).doesNotContain("private", "Private");
        assertThat(regulator.toString()).isEqualTo("OrganisationMaterial[RegulatorMSP, regulator.sandbox.test]");
    }

    private static void assertChainsTo(X509Certificate cert, X509Certificate ca) throws Exception {
        CertPathValidator.getInstance("PKIX").validate(certPath(cert), pkix(ca));
    }

    private static void assertDoesNotChainTo(X509Certificate cert, X509Certificate ca) {
        assertThatThrownBy(() -> CertPathValidator.getInstance("PKIX").validate(certPath(cert), pkix(ca)))
                .isInstanceOf(CertPathValidatorException.class);
    }

    private static java.security.cert.CertPath certPath(X509Certificate cert) throws Exception {
        return CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert));
    }

    private static PKIXParameters pkix(X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(java.util.Date.from(NOW));
        return parameters;
    }

    private static List<String> organizationalUnits(X509Certificate cert) throws Exception {
        return new LdapName(cert.getSubjectX500Principal().getName()).getRdns().stream()
                .filter(rdn -> rdn.getType().equalsIgnoreCase("OU"))
                .map(Rdn::getValue).map(Object::toString).toList();
    }

    private static List<List<?>> sans(X509Certificate cert) throws Exception {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        return names == null ? List.of() : List.copyOf(names);
    }

    private static byte[] ski(X509Certificate cert) throws Exception {
        return SubjectKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions()).getKeyIdentifier();
    }

    private static byte[] aki(X509Certificate cert) throws Exception {
        return AuthorityKeyIdentifier.fromExtensions(new JcaX509CertificateHolder(cert).getExtensions())
                .getKeyIdentifierOctets();
    }
}
