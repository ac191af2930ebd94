package io.sandbox.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.identity.Ecdsa;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * The peer's local MSP, for the peer-local ACL resources ({@code cscc/JoinChain} needs the local MSP's
 * {@code Admins}, {@code cscc/GetChannels} its {@code Members}, as {@code core/aclmgmt/resources}'s defaults):
 * an identity of the peer's MSP id whose certificate was issued by a local root CA and is within validity; an
 * admin is listed in the admin certificates or carries the NodeOU {@code admin}.
 */
final class LocalMsp {

    private final String mspId;
    private final List<X509Certificate> roots;
    private final List<X509Certificate> admins;

    LocalMsp(String mspId, List<X509Certificate> roots, List<X509Certificate> admins) {
        this.mspId = mspId;
        this.roots = List.copyOf(roots);
        this.admins = List.copyOf(admins);
    }

    /** Checks the signature and the principal; returns null when satisfied, else Fabric's reason. */
    String check(ByteString creator, ByteString signedBytes, ByteString signature, boolean adminRequired) {
        String policy = adminRequired ? "Admins" : "Members";
        String prefix = "Failed verifying that proposal's creator satisfies local MSP principal during channelless "
                + "check policy with policy [" + policy + "]: ";
        X509Certificate cert;
        String creatorMsp;
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(creator);
            creatorMsp = identity.getMspid();
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(identity.getIdBytes().toByteArray()));
        } catch (InvalidProtocolBufferException | GeneralSecurityException | RuntimeException e) {
            return prefix + "[could not deserialize identity: " + e.getMessage() + "]";
        }
        if (!mspId.equals(creatorMsp)) {
            return prefix + "[The identity is a member of a different MSP (expected " + mspId + ", got "
                    + creatorMsp + ")]";
        }
        if (!issuedByRoot(cert)) {
            return prefix + "[The identity is not valid under this MSP [" + mspId
                    + "]: could not validate identity against certification chain]";
        }
        if (!verifies(cert, signedBytes, signature)) {
            return prefix + "[signature verification failed]";
        }
        if (adminRequired && !admins.contains(cert) && !hasOu(cert, "admin")) {
            return prefix + "[The identity is not an admin under this MSP [" + mspId
                    + "]: The identity does not contain OU [ADMIN], MSP: [" + mspId + "]]";
        }
        return null;
    }

    private boolean issuedByRoot(X509Certificate cert) {
        try {
            cert.checkValidity();
        } catch (GeneralSecurityException e) {
            return false;
        }
        for (X509Certificate root : roots) {
            try {
                if (cert.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
                    cert.verify(root.getPublicKey());
                    return true;
                }
            } catch (GeneralSecurityException e) {
                // try the next root
            }
        }
        return false;
    }

    static boolean verifies(X509Certificate cert, ByteString data, ByteString signature) {
        try {
            Signature verifier = Ecdsa.verifier("SHA256withECDSA", cert.getPublicKey());
            verifier.update(data.toByteArray());
            return verifier.verify(signature.toByteArray());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean hasOu(X509Certificate cert, String ou) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU") && ou.equalsIgnoreCase(String.valueOf(rdn.getValue()))) {
                    return true;
                }
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }
}
