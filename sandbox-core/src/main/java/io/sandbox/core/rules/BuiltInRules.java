package io.sandbox.core.rules;

import java.util.List;
import java.util.Set;

/**
 * Structural rules that need no reporting schema, for every startup.
 *
 * <table>
 * <caption>The built-in rules</caption>
 * <tr><th>id</th><th>severity</th><th>matches</th></tr>
 * <tr><td>{@code builtin:invalid-ratio}</td><td>MEDIUM</td><td>an invalid transaction when, over the last hour,
 * at least {@value #MIN_TRANSACTIONS} transactions were seen and more than 20 % were invalid</td></tr>
 * <tr><td>{@code builtin:unknown-chaincode}</td><td>HIGH</td><td>a chaincode the startup is not known to use is
 * invoked, or a valid {@code _lifecycle} {@code CommitChaincodeDefinition} deploys one</td></tr>
 * <tr><td>{@code builtin:config-changed}</td><td>HIGH</td><td>a {@code CONFIG} transaction after the genesis
 * block</td></tr>
 * <tr><td>{@code builtin:unexpected-endorser}</td><td>SEVERE</td><td>an endorsement by an organisation that is
 * not expected to endorse</td></tr>
 * </table>
 */
public final class BuiltInRules {

    /** The least transactions in the hour before the invalid ratio counts. */
    public static final int MIN_TRANSACTIONS = 20;

    private static final List<RuleDefinition> ALL = List.of(
            new RuleDefinition("builtin:invalid-ratio", 1, "Many invalid transactions", Severity.MEDIUM,
                    RuleMode.ACTIVE, Set.of(),
                    "!tx.valid && window.startup.hour.total >= " + MIN_TRANSACTIONS
                            + " && window.startup.hour.invalid * 5 > window.startup.hour.total"),
            new RuleDefinition("builtin:unknown-chaincode", 1, "Unknown chaincode", Severity.HIGH,
                    RuleMode.ACTIVE, Set.of(),
                    "(tx.chaincode != '' && !(tx.chaincode in startup.knownChaincodes))"
                            + " || (tx.valid && tx.deployedChaincode != ''"
                            + " && !(tx.deployedChaincode in startup.knownChaincodes))"),
            new RuleDefinition("builtin:config-changed", 1, "Channel configuration changed", Severity.HIGH,
                    RuleMode.ACTIVE, Set.of(),
                    "tx.type == 'CONFIG' && tx.block > 0"),
            new RuleDefinition("builtin:unexpected-endorser", 1, "Endorsed by an unexpected organisation",
                    Severity.SEVERE, RuleMode.ACTIVE, Set.of(),
                    "tx.endorsers.exists(msp, !(msp in startup.expectedMsps))"));

    private BuiltInRules() {
    }

    /** The built-in rules: ACTIVE, for every startup. */
    public static List<RuleDefinition> all() {
        return ALL;
    }
}
