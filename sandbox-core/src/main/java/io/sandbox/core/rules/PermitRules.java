package io.sandbox.core.rules;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A permit's boundaries as ordinary rules: ACTIVE, scoped to the startup, written in CEL over the model's
 * {@code permit} so that they read as what they check. Amounts are compared exactly, in minor units. Derive them
 * again (with a new version) when the permit changes.
 *
 * <table>
 * <caption>The permit rules</caption>
 * <tr><th>id suffix</th><th>matches</th></tr>
 * <tr><td>{@code max-customers}</td><td>an onboarding that takes the distinct customers past the maximum</td></tr>
 * <tr><td>{@code max-single-value}</td><td>an amount in the permit's currency above the single-value maximum</td></tr>
 * <tr><td>{@code max-daily-volume}</td><td>an amount that takes the last 24 hours' volume above the maximum</td></tr>
 * <tr><td>{@code asset-types}</td><td>an asset type the permit does not allow</td></tr>
 * <tr><td>{@code test-window}</td><td>activity before the test window's first day or after its last</td></tr>
 * </table>
 */
public final class PermitRules {

    private PermitRules() {
    }

    /** The permit rules of the startup, or an empty list when it has no permit. */
    public static List<RuleDefinition> derive(StartupProfile startup, int version) {
        Objects.requireNonNull(startup, "startup");
        if (startup.permit() == null) {
            return List.of();
        }
        String prefix = "permit:" + startup.name() + ":";
        Set<String> scope = Set.of(startup.name());
        return List.of(
                new RuleDefinition(prefix + "max-customers", version, "Permit: more customers than allowed",
                        Severity.HIGH, RuleMode.ACTIVE, scope,
                        "event.type == 'CUSTOMER_ONBOARDED' && startup.customers > permit.maxCustomers"),
                new RuleDefinition(prefix + "max-single-value", version, "Permit: single transaction above the maximum",
                        Severity.HIGH, RuleMode.ACTIVE, scope,
                        "event.currency == permit.currency && event.amountMinor > permit.maxSingleValueMinor"),
                new RuleDefinition(prefix + "max-daily-volume", version, "Permit: daily volume above the maximum",
                        Severity.HIGH, RuleMode.ACTIVE, scope,
                        "event.currency == permit.currency && event.amountMinor > 0"
                                + " && window.startup.day.sumMinor > permit.maxDailyVolumeMinor"),
                new RuleDefinition(prefix + "asset-types", version, "Permit: asset type not allowed",
                        Severity.MEDIUM, RuleMode.ACTIVE, scope,
                        "event.assetType != '' && !(event.assetType in permit.allowedAssetTypes)"),
                new RuleDefinition(prefix + "test-window", version, "Permit: activity outside the test window",
                        Severity.MEDIUM, RuleMode.ACTIVE, scope,
                        "event.present && (tx.timestamp < permit.testWindowStart"
                                + " || tx.timestamp >= permit.testWindowEnd)"));
    }
}
