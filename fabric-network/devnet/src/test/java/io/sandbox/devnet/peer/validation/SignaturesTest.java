package io.sandbox.devnet.peer.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The creator's signature check refuses what Fabric's refuses: other data or key, high S, not strict DER. */
class SignaturesTest {

    private static final byte[] DATA = "a transaction's payload".getBytes(StandardCharsets.UTF_8);
    private static OrganisationMaterial org;
    private static X509Certificate certificate;
    private static byte[] signature;

    @BeforeAll
    static void sign() throws Exception {
        org = OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test",
                "peer0"));
        certificate = org.user().signing().certificate();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(org.user().signing().privateKey());
        signer.update(DATA);
        signature = lowS(signer.sign());
    }

    @Test
    void aValidSignatureVerifiesEveryTime() {
        for (int i = 0; i < 3; i++) {
            assertThat(Signatures.verify(certificate, DATA, signature)).isNull();
        }
    }

    @Test
    void otherDataOrAnotherKeyIsRefused() {
        byte[] tampered = DATA.clone();
        tampered[0] ^= 1;
        assertThat(Signatures.verify(certificate, tampered, signature)).isEqualTo("the signature is invalid");
        assertThat(Signatures.verify(org.admin().signing().certificate(), DATA, signature))
                .isEqualTo("the signature is invalid");
    }

    @Test
    void aHighSSignatureIsRefused() throws Exception {
        BigInteger[] rs = rs(signature);
        BigInteger n = ((ECPublicKey) certificate.getPublicKey()).getParams().getOrder();
        assertThat(Signatures.verify(certificate, DATA, der(rs[0], n.subtract(rs[1]))))
                .isEqualTo("invalid S, must be smaller than half the order");
    }

    @Test
    void malformedSignaturesAreRefused() throws Exception {
        assertThat(Signatures.verify(certificate, DATA, Arrays.copyOf(signature, signature.length + 1)))
                .startsWith("malformed signature");
        assertThat(Signatures.verify(certificate, DATA, new byte[] {0x30, 0x00})).isEqualTo("malformed ECDSA signature");
        assertThat(Signatures.verify(certificate, DATA, der(BigInteger.ZERO, rs(signature)[1])))
                .isEqualTo("invalid signature, R and S must be positive");
        assertThat(Signatures.verify(certificate, DATA, "not DER".getBytes(StandardCharsets.UTF_8)))
                .startsWith("malformed signature");
    }

    private static BigInteger[] rs(byte[] der) {
        ASN1Sequence seq = ASN1Sequence.getInstance(der);
        return new BigInteger[] {ASN1Integer.getInstance(seq.getObjectAt(0)).getValue(),
            ASN1Integer.getInstance(seq.getObjectAt(1)).getValue()};
    }

    private static byte[] der(BigInteger r, BigInteger s) throws Exception {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(r));
        v.add(new ASN1Integer(s));
        return new DERSequence(v).getEncoded();
    }

    private static byte[] lowS(byte[] der) throws Exception {
        BigInteger[] rs = rs(der);
        BigInteger n = ((ECPublicKey) certificate.getPublicKey()).getParams().getOrder();
        return rs[1].compareTo(n.shiftRight(1)) > 0 ? der(rs[0], n.subtract(rs[1])) : der;
    }
}
