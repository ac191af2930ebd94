package io.sandbox.core.rules;

import java.util.Objects;
import java.util.Set;

/**
 * What the rules know about a startup besides its transactions.
 *
 * @param name            the startup's name (the rules' scope key)
 * @param channel         its Fabric channel
 * @param mspId           its MSP id
 * @param permit          its permit, or {@code null} when it has none (yet)
 * @param knownChaincodes chaincodes it may use, e.g. {@code sandbox} and Fabric's system chaincodes
 *                        {@code _lifecycle}, {@code cscc}, {@code qscc}, {@code lscc}
 * @param expectedMsps    organisations allowed to endorse: its own MSP and the regulator's
 */
public record StartupProfile(String name, String channel, String mspId, Permit permit, Set<String> knownChaincodes,
        Set<String> expectedMsps) {

    public StartupProfile {
        Objects.requireNonNull(name, "name");
        channel = channel == null ? "" : channel;
        mspId = mspId == null ? "" : mspId;
        knownChaincodes = knownChaincodes == null ? Set.of() : Set.copyOf(knownChaincodes);
        expectedMsps = expectedMsps == null ? Set.of() : Set.copyOf(expectedMsps);
    }
}
