package io.sandbox.devnet.peer.lifecycle;

import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.devnet.chaincode.ConnectionInfo;
import io.sandbox.devnet.peer.state.StateView;
import io.sandbox.devnet.peer.validation.EndorsementPolicies;
import io.sandbox.devnet.peer.validation.EndorsementPolicy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionResult;

/**
 * The committed chaincode definitions of one channel, for the rest of the peer (Fabric's lifecycle cache and
 * {@code DeployedCCInfoProvider}), read from committed state (not from a simulation).
 *
 * <p>{@link #endorsementPolicies()} resolves validation policies: {@code _lifecycle} gets
 * {@code /Channel/Application/LifecycleEndorsement}; a defined chaincode gets its definition's channel policy
 * reference. Signature-policy endorsement policies cannot be evaluated ({@code ChannelPolicies} evaluates policies
 * by channel path only), so such a chaincode's transactions fail validation with an explanation; {@link Lifecycle}
 * already refuses to approve or commit one.
 */
public final class ChaincodeDefinitions {

    /** The package the local org approved for a chaincode's committed definition, and how to reach it. */
    public record LocalChaincode(String name, ChaincodeDefinition definition, String packageId,
            ConnectionInfo connectionInfo) {}

    private final String localMspId;
    private final StateView state;
    private final InstalledChaincodes installed;

    /**
     * @param localMspId the peer's org
     * @param state      the channel's committed state (e.g. its {@code WorldState})
     * @param installed  the peer's installed packages
     */
    public ChaincodeDefinitions(String localMspId, StateView state, InstalledChaincodes installed) {
        this.localMspId = Objects.requireNonNull(localMspId, "localMspId");
        this.state = Objects.requireNonNull(state, "state");
        this.installed = Objects.requireNonNull(installed, "installed");
    }

    /** The committed definition of a chaincode, if defined. */
    public Optional<ChaincodeDefinition> definition(String name) {
        return LifecycleState.of(state).definition(name);
    }

    /** All committed definitions, by name. */
    public List<ChaincodeDefinition> definitions() {
        LifecycleState ls = LifecycleState.of(state);
        return ls.definedNames().stream().map(ls::definition).flatMap(Optional::stream).toList();
    }

    /**
     * The package this peer runs for a chaincode, as Fabric's cache decides: the chaincode is defined, the local
     * org approved exactly the committed definition (same sequence and parameters) with a package id, and that
     * package is installed here. Empty otherwise (Fabric: the chaincode is not invocable on this peer).
     */
    public Optional<LocalChaincode> installedPackageFor(String name) {
        LifecycleState ls = LifecycleState.of(state);
        Optional<ChaincodeDefinition> cd = ls.definition(name);
        if (cd.isEmpty()) {
            return Optional.empty();
        }
        Optional<QueryApprovedChaincodeDefinitionResult> approval = ls.approval(localMspId, name, cd.get().sequence());
        if (approval.isEmpty() || !Lifecycle.mismatches(cd.get(), approval.get()).isEmpty()
                || !approval.get().getSource().hasLocalPackage()) {
            return Optional.empty();
        }
        String packageId = approval.get().getSource().getLocalPackage().getPackageId();
        if (packageId.isEmpty() || installed.get(packageId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LocalChaincode(name, cd.get(), packageId, installed.connectionInfo(packageId)));
    }

    /** Validation policies backed by the committed definitions (see the class comment). */
    public EndorsementPolicies endorsementPolicies() {
        EndorsementPolicy lifecycle = EndorsementPolicy.channelPolicy(EndorsementPolicies.LIFECYCLE_ENDORSEMENT);
        return namespace -> {
            if (LifecycleState.NAMESPACE.equals(namespace)) {
                return Optional.of(lifecycle);
            }
            return definition(namespace).map(ChaincodeDefinitions::policyOf);
        };
    }

    static EndorsementPolicy policyOf(ChaincodeDefinition cd) {
        ApplicationPolicy policy;
        try {
            policy = cd.endorsementPolicy();
        } catch (IllegalStateException e) {
            return EndorsementPolicy.refusing(e.getMessage());
        }
        if (policy.getTypeCase() == ApplicationPolicy.TypeCase.CHANNEL_CONFIG_POLICY_REFERENCE) {
            return EndorsementPolicy.channelPolicy(policy.getChannelConfigPolicyReference());
        }
        String reason = "chaincode " + cd.name() + " has a " + policy.getTypeCase()
                + " endorsement policy, which the devnet cannot evaluate (channel policy references only)";
        return EndorsementPolicy.refusing(reason);
    }
}
