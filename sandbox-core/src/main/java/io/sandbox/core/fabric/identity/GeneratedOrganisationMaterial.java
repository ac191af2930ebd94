package io.sandbox.core.fabric.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;

/** {@link OrganisationMaterial} generated with {@link CertificateIssuer}. */
record GeneratedOrganisationMaterial(
        OrganisationSpec spec,
        CertifiedKey signingCa,
        CertifiedKey tlsCa,
        FabricIdentity admin,
        FabricIdentity user,
        List<FabricIdentity> peers,
        List<FabricIdentity> orderers) implements OrganisationMaterial {

    /** Backdating of every notBefore, for clock skew between hosts. */
    static final Duration BACKDATE = Duration.ofHours(1);

    GeneratedOrganisationMaterial {
        peers = List.copyOf(peers);
        orderers = List.copyOf(orderers);
    }

    static GeneratedOrganisationMaterial generate(OrganisationSpec spec, Clock clock, SecureRandom random) {
        var issuer = new CertificateIssuer(random);
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        Instant caNotAfter = notBefore.plus(spec.caValidity());
        Instant leafNotAfter = notBefore.plus(spec.identityValidity());
        String domain = spec.domain();

        CertifiedKey signingCa = issuer.selfSignedCa(name(domain, null, "ca." + domain), notBefore, caNotAfter);
        CertifiedKey tlsCa = issuer.selfSignedCa(name(domain, null, "tlsca." + domain), notBefore, caNotAfter);
        var factory = new IdentityFactory(spec, issuer, signingCa, tlsCa, notBefore, leafNotAfter);

        return new GeneratedOrganisationMaterial(spec, signingCa, tlsCa,
                factory.user("Admin@" + domain, NodeOuRole.ADMIN),
                factory.user("User1@" + domain, NodeOuRole.CLIENT),
                spec.peerHostnames().stream().map(h -> factory.node(h, NodeOuRole.PEER)).toList(),
                spec.ordererHostnames().stream().map(h -> factory.node(h, NodeOuRole.ORDERER)).toList());
    }

    /** Subject {@code CN=<cn>, OU=<ou>, O=<domain>}; OU omitted when null. */
    static X500Name name(String organisation, String organizationalUnit, String commonName) {
        var builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organisation);
        if (organizationalUnit != null) {
            builder.addRDN(BCStyle.OU, organizationalUnit);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "OrganisationMaterial[" + spec.mspId() + ", " + spec.domain() + "]";
    }

    private record IdentityFactory(OrganisationSpec spec, CertificateIssuer issuer, CertifiedKey signingCa,
            CertifiedKey tlsCa, Instant notBefore, Instant notAfter) {

        FabricIdentity user(String commonName, NodeOuRole role) {
            return new FabricIdentity(spec.mspId(), commonName, role,
                    signing(commonName, role),
                    issuer.issue(tlsCa, name(spec.domain(), null, commonName), CertificateIssuer.Profile.TLS_CLIENT,
                            List.of(), notBefore, notAfter));
        }

        FabricIdentity node(String hostname, NodeOuRole role) {
            String fqdn = spec.qualifiedHostname(hostname);
            var sans = new java.util.LinkedHashSet<String>(List.of(fqdn, hostname, "localhost"));
            var alternativeNames = new java.util.ArrayList<GeneralName>();
            sans.forEach(dns -> alternativeNames.add(new GeneralName(GeneralName.dNSName, dns)));
            alternativeNames.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            return new FabricIdentity(spec.mspId(), fqdn, role,
                    signing(fqdn, role),
                    issuer.issue(tlsCa, name(spec.domain(), null, fqdn), CertificateIssuer.Profile.TLS_SERVER,
                            alternativeNames, notBefore, notAfter));
        }

        private CertifiedKey signing(String commonName, NodeOuRole role) {
            return issuer.issue(signingCa, name(spec.domain(), role.organizationalUnit(), commonName),
                    CertificateIssuer.Profile.SIGNING, List.of(), notBefore, notAfter);
        }
    }
}
