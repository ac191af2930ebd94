package io.sandbox.core.fabric.identity;

/**
 * The Fabric NodeOU roles. An identity certificate carries exactly one of these identifiers as its
 * subject OU; the MSP {@code config.yaml} written by {@link MspFolders} maps them to roles.
 */
public enum NodeOuRole {
    /** An application or user identity. */
    CLIENT("client"),
    /** A peer node. */
    PEER("peer"),
    /** An organisation administrator. */
    ADMIN("admin"),
    /** An ordering service node. */
    ORDERER("orderer");

    private final String organizationalUnit;

    NodeOuRole(String organizationalUnit) {
        this.organizationalUnit = organizationalUnit;
    }

    /** The subject OU value Fabric matches, for example {@code peer}. */
    public String organizationalUnit() {
        return organizationalUnit;
    }

    /** Whether identities with this role are network nodes (and so get TLS server certificates). */
    public boolean isNode() {
        return this == PEER || this == ORDERER;
    }
}
