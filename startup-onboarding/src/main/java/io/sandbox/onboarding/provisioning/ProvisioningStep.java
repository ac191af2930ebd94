package io.sandbox.onboarding.provisioning;

/** The steps of a provisioning, in the order they run; {@link #READY} is the end. */
public enum ProvisioningStep {
    /** The startup's Fabric organisation: CA keys and identities, stored sealed. */
    ORGANISATION,
    /** The startup's peer. */
    PEER,
    /** The channel: genesis block kept first, then orderer, regulator peer and startup peer joined. */
    CHANNEL,
    /** The sandbox chaincode installed, approved by both organisations, committed and checked. */
    CHAINCODE,
    /** The Keycloak tenant: group, representatives' users, the API client. */
    KEYCLOAK,
    /** The regulator's dashboard supervises the startup: its channel, MSP and permit (whose boundaries become rules). */
    SUPERVISION,
    /** Nothing left to do. */
    READY;

    /** The step after this one. */
    public ProvisioningStep next() {
        if (this == READY) {
            throw new IllegalStateException("READY is the last step");
        }
        return values()[ordinal() + 1];
    }
}
