package io.sandbox.core.fabric.identity;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What to generate for one Fabric organisation.
 *
 * <p>Host names without a dot are qualified with {@code domain} ({@code peer0} becomes
 * {@code peer0.org1.example.com}, as {@code cryptogen} does); names with a dot are used as given.
 *
 * @param mspId            the MSP identifier, for example {@code RegulatorMSP}
 * @param domain           the organisation's DNS domain, also its subject {@code O}
 * @param peerHostnames    peer nodes to issue identities and TLS server certificates for
 * @param ordererHostnames orderer nodes to issue identities and TLS server certificates for
 * @param caValidity       validity of the signing CA and TLS CA certificates
 * @param identityValidity validity of identity and TLS certificates (never beyond the CA's)
 */
public record OrganisationSpec(
        String mspId,
        String domain,
        List<String> peerHostnames,
        List<String> ordererHostnames,
        Duration caValidity,
        Duration identityValidity) {

    /** Default CA validity: 3650 days, as {@code cryptogen}. */
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

    /** Default identity and TLS certificate validity: 365 days, shorter than {@code cryptogen}'s 10 years. */
    public static final Duration DEFAULT_IDENTITY_VALIDITY = Duration.ofDays(365);

    private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern DNS_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** Validates and normalises (lower-cases) domain and host names; copies the lists. */
    public OrganisationSpec {
        Objects.requireNonNull(mspId, "mspId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(peerHostnames, "peerHostnames");
        Objects.requireNonNull(ordererHostnames, "ordererHostnames");
        Objects.requireNonNull(caValidity, "caValidity");
        Objects.requireNonNull(identityValidity, "identityValidity");
        if (!MSP_ID.matcher(mspId).matches()) {
            throw new IllegalArgumentException("mspId must match " + MSP_ID + ": " + mspId);
        }
        domain = dnsName(domain, "domain");
        peerHostnames = peerHostnames.stream().map(h -> dnsName(h, "peer host name")).toList();
        ordererHostnames = ordererHostnames.stream().map(h -> dnsName(h, "orderer host name")).toList();
        Set<String> seen = new HashSet<>();
        for (String host : Stream.concat(peerHostnames.stream(), ordererHostnames.stream()).toList()) {
            if (!seen.add(qualify(host, domain))) {
                throw new IllegalArgumentException("duplicate node host name: " + host);
            }
        }
        if (caValidity.isNegative() || caValidity.isZero()) {
            throw new IllegalArgumentException("caValidity must be positive: " + caValidity);
        }
        if (identityValidity.isNegative() || identityValidity.isZero()) {
            throw new IllegalArgumentException("identityValidity must be positive: " + identityValidity);
        }
        if (identityValidity.compareTo(caValidity) > 0) {
            throw new IllegalArgumentException("identityValidity must not exceed caValidity");
        }
    }

    /** A peer organisation with default validities. */
    public static OrganisationSpec peerOrganisation(String mspId, String domain, String... peerHostnames) {
        Objects.requireNonNull(peerHostnames, "peerHostnames");
        return new OrganisationSpec(mspId, domain, List.of(peerHostnames), List.of(),
                DEFAULT_CA_VALIDITY, DEFAULT_IDENTITY_VALIDITY);
    }

    /** An orderer organisation with default validities. */
    public static OrganisationSpec ordererOrganisation(String mspId, String domain, String... ordererHostnames) {
        Objects.requireNonNull(ordererHostnames, "ordererHostnames");
        return new OrganisationSpec(mspId, domain, List.of(), List.of(ordererHostnames),
                DEFAULT_CA_VALIDITY, DEFAULT_IDENTITY_VALIDITY);
    }

    /** This spec with other validities. */
    public OrganisationSpec withValidity(Duration caValidity, Duration identityValidity) {
        return new OrganisationSpec(mspId, domain, peerHostnames, ordererHostnames, caValidity, identityValidity);
    }

    /** The fully qualified name of a node host name, as used in its certificates. */
    public String qualifiedHostname(String hostname) {
        Objects.requireNonNull(hostname, "hostname");
        return qualify(dnsName(hostname, "host name"), domain);
    }

    private static String qualify(String host, String domain) {
        return host.indexOf('.') >= 0 ? host : host + "." + domain;
    }

    private static String dnsName(String name, String what) {
        Objects.requireNonNull(name, what);
        String lower = name.toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(lower).matches()) {
            throw new IllegalArgumentException(what + " is not a valid DNS name: " + name);
        }
        return lower;
    }
}
