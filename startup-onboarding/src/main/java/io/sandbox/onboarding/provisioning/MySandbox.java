package io.sandbox.onboarding.provisioning;

import java.time.Instant;

/**
 * A startup's own sandbox, as its members see it.
 *
 * @param tenant      the startup's tenant (slug)
 * @param status      where provisioning stands; FAILED means the regulator has been shown the error
 * @param currentStep the step in progress or next (READY at the end)
 * @param channelId   its Fabric channel
 * @param mspId       its Fabric organisation
 * @param chaincode   the chaincode on the channel
 * @param apiClientId the Keycloak client for API access (its secret comes with the bundle)
 */
public record MySandbox(String tenant, ProvisioningStatus status, ProvisioningStep currentStep, String channelId,
        String mspId, String chaincode, String apiClientId, Instant requestedAt, Instant readyAt) {

    static MySandbox of(Provisioning p) {
        return new MySandbox(p.slug, p.status, p.currentStep, p.channelId, p.mspId, FabricSteps.CHAINCODE.name(),
                p.apiClientId(), p.requestedAt, p.readyAt);
    }
}
