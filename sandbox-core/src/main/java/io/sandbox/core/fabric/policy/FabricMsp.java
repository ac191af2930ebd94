package io.sandbox.core.fabric.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.identity.Ecdsa;
import io.sandbox.core.fabric.identity.NodeOuRole;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;

/**
 * One X.509 Fabric MSP of a channel (type FABRIC), with the MSP v1.4.3 semantics Fabric 2.x channels use
 * ({@code msp/mspimpl.go}, {@code mspimplsetup.go}, {@code mspimplvalidate.go}, {@code identities.go}).
 */
final class FabricMsp {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EKU = "2.5.29.37.0";
    private static final int MAX_CHAIN = 10;
    private static final int CACHED_CHAINS = 1024;

    /** Certification paths by certificate (hex DER), least recently used dropped first. */
    private final Map<String, java.util.Optional<List<X509Certificate>>> chains =
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, java.util.Optional<List<X509Certificate>>> eldest) {
                    return size() > CACHED_CHAINS;
                }
            };

    /** A NodeOU or organisational-unit identifier: OU value and, optionally, the certifiers identifier. */
    record OuIdentifier(String ou, byte[] certifiers) {}

    final String name;
    private final List<X509Certificate> roots;
    private final List<X509Certificate> intermediates;
    /** CAs that issued an intermediate: identities may not be issued by them directly. */
    private final List<X509Certificate> internalNodes;
    private final List<X509Certificate> admins;
    private final List<X509CRL> crls;
    private final List<OuIdentifier> ouIdentifiers;
    private final boolean nodeOus;
    private final Map<NodeOuRole, OuIdentifier> nodeOuIdentifiers;
    private final String identityHash;
    private final String signatureHash;

    FabricMsp(MSPConfig mspConfig) {
        if (mspConfig.getType() != 0) {
            throw new IllegalArgumentException("MSP of type " + mspConfig.getType()
                    + " is not supported: only X.509 Fabric MSPs (type 0), not idemix");
        }
        FabricMSPConfig config;
        try {
            config = FabricMSPConfig.parseFrom(mspConfig.getConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("MSP config is not a FabricMSPConfig: " + e.getMessage(), e);
        }
        name = config.getName();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("MSP config has no name");
        }
        if (config.getRootCertsCount() == 0) {
            throw new IllegalArgumentException("MSP " + name + " has no root certificates");
        }
        String hashFunction = config.hasCryptoConfig() ? config.getCryptoConfig().getIdentityIdentifierHashFunction() : "";
        identityHash = javaHash(hashFunction.isEmpty() ? "SHA256" : hashFunction, name);
        String family = config.hasCryptoConfig() ? config.getCryptoConfig().getSignatureHashFamily() : "";
        signatureHash = switch (family.isEmpty() ? "SHA2" : family) {
            case "SHA2" -> "SHA-256";
            case "SHA3" -> "SHA3-256";
            default -> throw new IllegalArgumentException("MSP " + name + ": unknown signature hash family " + family);
        };
        roots = certificates(config.getRootCertsList(), "root certificate");
        intermediates = certificates(config.getIntermediateCertsList(), "intermediate certificate");
        admins = certificates(config.getAdminsList(), "admin certificate");
        crls = new ArrayList<>();
        for (ByteString crl : config.getRevocationListList()) {
            crls.add(crl(crl));
        }
        internalNodes = new ArrayList<>();
        for (X509Certificate intermediate : intermediates) {
            List<X509Certificate> chain = chainOf(intermediate);
            if (chain == null) {
                throw new IllegalArgumentException("MSP " + name + ": intermediate certificate "
                        + subject(intermediate) + " does not chain to a root certificate");
            }
            internalNodes.add(chain.get(1));
        }
        List<OuIdentifier> ous = new ArrayList<>();
        for (FabricOUIdentifier ou : config.getOrganizationalUnitIdentifiersList()) {
            ous.add(ouIdentifier(ou));
        }
        ouIdentifiers = List.copyOf(ous);
        FabricNodeOUs nodeOuConfig = config.getFabricNodeOus();
        nodeOus = config.hasFabricNodeOus() && nodeOuConfig.getEnable();
        nodeOuIdentifiers = new LinkedHashMap<>();
        if (nodeOus) {
            putNodeOu(NodeOuRole.CLIENT, nodeOuConfig.hasClientOuIdentifier(), nodeOuConfig.getClientOuIdentifier());
            putNodeOu(NodeOuRole.PEER, nodeOuConfig.hasPeerOuIdentifier(), nodeOuConfig.getPeerOuIdentifier());
            putNodeOu(NodeOuRole.ADMIN, nodeOuConfig.hasAdminOuIdentifier(), nodeOuConfig.getAdminOuIdentifier());
            putNodeOu(NodeOuRole.ORDERER, nodeOuConfig.hasOrdererOuIdentifier(), nodeOuConfig.getOrdererOuIdentifier());
        }
    }

    private void putNodeOu(NodeOuRole role, boolean present, FabricOUIdentifier identifier) {
        if (present && !identifier.getOrganizationalUnitIdentifier().isEmpty()) {
            nodeOuIdentifiers.put(role, ouIdentifier(identifier));
        }
    }

    /** setupOUs / setupNodeOUs: a certificate, when given, must be one of the MSP's CAs; it pins the chain. */
    private OuIdentifier ouIdentifier(FabricOUIdentifier ou) {
        if (ou.getCertificate().isEmpty()) {
            return new OuIdentifier(ou.getOrganizationalUnitIdentifier(), null);
        }
        X509Certificate ca = certificate(ou.getCertificate(), "OU certificate");
        boolean isRoot = roots.stream().anyMatch(r -> Arrays.equals(encoded(r), encoded(ca)));
        boolean isIntermediate = intermediates.stream().anyMatch(r -> Arrays.equals(encoded(r), encoded(ca)));
        if (!isRoot && !isIntermediate) {
            throw new IllegalArgumentException("MSP " + name + ": certificate of OU "
                    + ou.getOrganizationalUnitIdentifier() + " is not one of its root or intermediate certificates");
        }
        List<X509Certificate> chain = isRoot ? List.of(ca) : chainOf(ca);
        return new OuIdentifier(ou.getOrganizationalUnitIdentifier(), chainIdentifier(chain));
    }

    // ---- identities -------------------------------------------------------------------------------------

    /** deserializeIdentityInternal: the first PEM block of the id bytes, parsed as an X.509 certificate. */
    X509Certificate parseIdentityCertificate(ByteString idBytes) throws IdentityException {
        byte[] der = firstPemBlock(idBytes.toString(StandardCharsets.ISO_8859_1));
        if (der == null) {
            throw new IdentityException("identity of MSP \"" + name + "\" is not a PEM-encoded certificate");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new IdentityException("identity of MSP \"" + name + "\" is not a valid X.509 certificate: "
                    + e.getMessage(), e);
        }
    }

    /** IdentityIdentifier.Id: hex of the identity hash of the certificate. */
    String identityId(X509Certificate certificate) {
        return HexFormat.of().formatHex(digest(identityHash, encoded(certificate)));
    }

    /**
     * Validate (validateIdentity): not a CA, chains to a root through the MSP's intermediates, the issuer is a
     * leaf of the certification tree, not revoked, within validity at {@code now} (sandbox addition), OU checks.
     *
     * @return the NodeOU roles plus ADMIN for listed admin certificates
     */
    Set<NodeOuRole> validate(X509Certificate certificate, Instant now) throws IdentityException {
        String who = "certificate \"" + subject(certificate) + "\"";
        if (certificate.getBasicConstraints() >= 0) {
            throw new IdentityException(who + " is a CA certificate and cannot be used as an identity of MSP \""
                    + name + "\"");
        }
        List<X509Certificate> chain = chainOf(certificate);
        if (chain == null) {
            throw new IdentityException(who + " is not issued by a CA of MSP \"" + name + "\" (issuer \""
                    + certificate.getIssuerX500Principal().getName() + "\")");
        }
        X509Certificate parent = chain.get(1);
        if (internalNodes.stream().anyMatch(n -> Arrays.equals(encoded(n), encoded(parent)))) {
            throw new IdentityException(who + " is issued by \"" + subject(parent) + "\" of MSP \"" + name
                    + "\", which is not a leaf of its certification tree (identities must come from its intermediate CAs)");
        }
        for (X509Certificate c : chain) {
            checkExtendedKeyUsage(c, who);
            if (now.isAfter(c.getNotAfter().toInstant())) {
                throw new IdentityException((c == certificate ? who : who + ": its CA \"" + subject(c) + "\"")
                        + " expired at " + c.getNotAfter().toInstant());
            }
            if (now.isBefore(c.getNotBefore().toInstant())) {
                throw new IdentityException((c == certificate ? who : who + ": its CA \"" + subject(c) + "\"")
                        + " is not valid before " + c.getNotBefore().toInstant());
            }
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            checkRevocation(chain.get(i), chain.get(i + 1), who);
        }
        List<OuIdentifier> identityOus = organizationalUnits(certificate, chain);
        if (!ouIdentifiers.isEmpty() && identityOus.stream().noneMatch(ou -> ouIdentifiers.stream()
                .anyMatch(allowed -> allowed.ou().equals(ou.ou())
                        && (allowed.certifiers() == null || Arrays.equals(allowed.certifiers(), ou.certifiers()))))) {
            throw new IdentityException(who + " has none of the organizational units MSP \"" + name + "\" requires "
                    + ouIdentifiers.stream().map(OuIdentifier::ou).toList());
        }
        Set<NodeOuRole> roles = EnumSet.noneOf(NodeOuRole.class);
        if (nodeOus) {
            for (OuIdentifier ou : identityOus) {
                for (Map.Entry<NodeOuRole, OuIdentifier> nodeOu : nodeOuIdentifiers.entrySet()) {
                    if (!nodeOu.getValue().ou().equals(ou.ou())) {
                        continue;
                    }
                    byte[] pinned = nodeOu.getValue().certifiers();
                    if (pinned != null && !Arrays.equals(pinned, ou.certifiers())) {
                        throw new IdentityException(who + ": OU \"" + ou.ou() + "\" is not certified by the CA MSP \""
                                + name + "\" pins for the " + nodeOu.getKey().organizationalUnit() + " role");
                    }
                    roles.add(nodeOu.getKey());
                }
            }
            if (roles.isEmpty()) {
                throw new IdentityException(who + " has no NodeOU role: none of its OUs "
                        + identityOus.stream().map(OuIdentifier::ou).toList() + " is one of MSP \"" + name + "\"'s "
                        + nodeOuIdentifiers.values().stream().map(OuIdentifier::ou).toList());
            }
            if (roles.size() > 1) {
                throw new IdentityException(who + " carries several NodeOU roles " + roles
                        + "; an identity must be exactly one of client, peer, orderer or admin");
            }
        }
        if (isListedAdmin(certificate)) {
            roles.add(NodeOuRole.ADMIN);
        }
        return roles;
    }

    /**
     * The interval in which every certificate of the identity's certification path is within its validity (the
     * latest notBefore, the earliest notAfter), for an identity {@link #validate} accepted; outside it validation
     * fails.
     */
    Instant[] validityWindow(X509Certificate certificate) {
        List<X509Certificate> chain = chainOf(certificate);
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        for (X509Certificate c : chain == null ? List.of(certificate) : chain) {
            Instant notBefore = c.getNotBefore().toInstant();
            Instant notAfter = c.getNotAfter().toInstant();
            from = notBefore.isAfter(from) ? notBefore : from;
            until = notAfter.isBefore(until) ? notAfter : until;
        }
        return new Instant[] {from, until};
    }

    boolean nodeOusEnabled() {
        return nodeOus;
    }

    boolean isListedAdmin(X509Certificate certificate) {
        return admins.stream().anyMatch(a -> Arrays.equals(encoded(a), encoded(certificate)));
    }

    /** GetOrganizationalUnits: every subject OU with the chain identifier of the identity's certification path. */
    List<OuIdentifier> organizationalUnits(X509Certificate certificate, List<X509Certificate> chain) {
        byte[] certifiers = chainIdentifier(chain.subList(1, chain.size()));
        List<OuIdentifier> ous = new ArrayList<>();
        org.bouncycastle.asn1.x500.X500Name subject =
                org.bouncycastle.asn1.x500.X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (var rdn : subject.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.OU)) {
            for (var atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(org.bouncycastle.asn1.x500.style.BCStyle.OU)) {
                    ous.add(new OuIdentifier(
                            org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(atv.getValue()), certifiers));
                }
            }
        }
        return ous;
    }

    /**
     * The certification path [certificate, issuer, ..., root], or null. Paths are cached per certificate (as Fabric's
     * {@code msp/cache} caches validations): building one verifies a CA signature per link, and the same few
     * identities sign every transaction. Time-dependent checks are never cached.
     */
    List<X509Certificate> chainOf(X509Certificate certificate) {
        String key = HexFormat.of().formatHex(encoded(certificate));
        synchronized (chains) {
            if (chains.containsKey(key)) {
                return chains.get(key).orElse(null);
            }
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        List<X509Certificate> path = extend(chain) ? List.copyOf(chain) : null;
        synchronized (chains) {
            chains.put(key, java.util.Optional.ofNullable(path));
        }
        return path;
    }

    private boolean extend(List<X509Certificate> chain) {
        X509Certificate last = chain.getLast();
        if (chain.size() > 1 && roots.stream().anyMatch(r -> Arrays.equals(encoded(r), encoded(last)))) {
            return true;
        }
        if (chain.size() > MAX_CHAIN) {
            return false;
        }
        for (List<X509Certificate> pool : List.of(intermediates, roots)) {
            for (X509Certificate candidate : pool) {
                if (chain.contains(candidate) || candidate.getBasicConstraints() < 0
                        || !candidate.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
                    continue;
                }
                try {
                    last.verify(candidate.getPublicKey());
                } catch (GeneralSecurityException | RuntimeException e) {
                    continue;
                }
                chain.add(candidate);
                if (extend(chain)) {
                    return true;
                }
                chain.removeLast();
            }
        }
        return false;
    }

    /** Go's x509.Verify with empty KeyUsages: certificates with an EKU must allow serverAuth (or any). */
    private static void checkExtendedKeyUsage(X509Certificate c, String who) throws IdentityException {
        List<String> ekus;
        try {
            ekus = c.getExtendedKeyUsage();
        } catch (CertificateException e) {
            throw new IdentityException(who + ": unreadable extended key usage", e);
        }
        if (ekus != null && !ekus.contains(SERVER_AUTH) && !ekus.contains(ANY_EKU)) {
            throw new IdentityException(who + ": \"" + subject(c)
                    + "\" has an extended key usage incompatible with Fabric's chain verification (no serverAuth)");
        }
    }

    private void checkRevocation(X509Certificate certificate, X509Certificate issuer, String who)
            throws IdentityException {
        for (X509CRL crl : crls) {
            if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            try {
                crl.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
            if (entry != null) {
                throw new IdentityException(who + ": certificate \"" + subject(certificate)
                        + "\" has been revoked by \"" + subject(issuer) + "\" of MSP \"" + name + "\"");
            }
        }
    }

    // ---- signatures -------------------------------------------------------------------------------------

    /**
     * identity.Verify with bccsp's software ECDSA verifier: digest with the MSP's signature hash family, DER
     * (r, s) with r, s positive and s at most half the curve order (low S), then ECDSA verification.
     *
     * @return null when valid, else why not
     */
    String verifySignature(X509Certificate certificate, byte[] data, byte[] signature) {
        if (!(certificate.getPublicKey() instanceof ECPublicKey key)) {
            return "unsupported public key algorithm " + certificate.getPublicKey().getAlgorithm();
        }
        BigInteger s;
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(signature);
            ASN1Sequence sequence = ASN1Sequence.getInstance(parsed);
            if (sequence.size() != 2) {
                return "malformed signature";
            }
            BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
            s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
            if (r.signum() <= 0 || s.signum() <= 0) {
                return "invalid signature, R and S must be larger than zero";
            }
        } catch (Exception e) {
            return "malformed signature";
        }
        BigInteger halfOrder = key.getParams().getOrder().shiftRight(1);
        if (s.compareTo(halfOrder) > 0) {
            return "invalid S, must be smaller than half the order (high-S signature)";
        }
        try {
            Signature verifier = Ecdsa.verifier("NONEwithECDSA", key);
            verifier.update(digest(signatureHash, data));
            return verifier.verify(signature) ? null : "signature does not verify";
        } catch (GeneralSecurityException | RuntimeException e) {
            return "signature does not verify: " + e.getMessage();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private byte[] chainIdentifier(List<X509Certificate> chain) {
        try {
            MessageDigest md = MessageDigest.getInstance(identityHash);
            chain.forEach(c -> md.update(encoded(c)));
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaHash(String fabricName, String msp) {
        return switch (fabricName) {
            case "SHA256", "SHA2" -> "SHA-256";
            case "SHA384" -> "SHA-384";
            case "SHA3_256" -> "SHA3-256";
            case "SHA3_384" -> "SHA3-384";
            default -> throw new IllegalArgumentException("MSP " + msp + ": unknown identity hash function " + fabricName);
        };
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private List<X509Certificate> certificates(List<ByteString> values, String what) {
        List<X509Certificate> out = new ArrayList<>();
        for (ByteString value : values) {
            out.add(certificate(value, what));
        }
        return List.copyOf(out);
    }

    private X509Certificate certificate(ByteString value, String what) {
        byte[] der = firstPemBlock(value.toString(StandardCharsets.ISO_8859_1));
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der != null ? der : value.toByteArray()));
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("MSP " + name + ": " + what + " is not a valid X.509 certificate", e);
        }
    }

    private X509CRL crl(ByteString value) {
        byte[] der = firstPemBlock(value.toString(StandardCharsets.ISO_8859_1));
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509")
                    .generateCRL(new ByteArrayInputStream(der != null ? der : value.toByteArray()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("MSP " + name + ": revocation list is not a valid X.509 CRL", e);
        }
    }

    /** Go's pem.Decode, loosely: the base64 body of the first {@code -----BEGIN ...-----} block, or null. */
    static byte[] firstPemBlock(String text) {
        int begin = text.indexOf("-----BEGIN ");
        if (begin < 0) {
            return null;
        }
        int headerEnd = text.indexOf("-----", begin + 11);
        if (headerEnd < 0) {
            return null;
        }
        int end = text.indexOf("-----END ", headerEnd + 5);
        if (end < 0) {
            return null;
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(headerEnd + 5, end).trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
