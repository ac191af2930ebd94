package io.sandbox.core.fabric.policy;

import java.util.Objects;

/**
 * The outcome of a policy evaluation.
 *
 * @param satisfied   whether the policy is satisfied
 * @param explanation human-readable account, e.g.
 *                    {@code needs 1 of [RegulatorMSP.admin]; got signatures from [StartupMSP.client]}
 */
public record PolicyResult(boolean satisfied, String explanation) {

    /** Checks for nulls. */
    public PolicyResult {
        Objects.requireNonNull(explanation, "explanation");
    }
}
