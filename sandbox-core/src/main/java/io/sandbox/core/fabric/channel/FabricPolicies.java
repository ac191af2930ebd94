package io.sandbox.core.fabric.channel;

import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

/**
 * Policy values as configtxgen writes them. A signature rule {@code OR('A.admin','B.peer')} becomes what
 * Fabric's {@code common/policydsl} produces: a version-0 envelope, one ROLE principal per mentioned
 * principal in order of appearance (not de-duplicated), and an {@code NOutOf(1, [SignedBy(0), SignedBy(1)])}
 * rule. An implicit-meta rule {@code MAJORITY Admins} becomes {@code ImplicitMetaPolicy{sub_policy, rule}}.
 */
public final class FabricPolicies {

    /** A {@code <mspId>.<role>} principal. */
    public record Principal(String mspId, MSPRole.MSPRoleType role) {}

    private FabricPolicies() {}

    public static Principal principal(String mspId, MSPRole.MSPRoleType role) {
        return new Principal(mspId, role);
    }

    /** {@code OR(p1, p2, ...)}: one signature from any of the principals. */
    public static Policy anyOf(Principal... principals) {
        return nOutOf(1, principals);
    }

    /** {@code OutOf(n, p1, p2, ...)}. */
    public static Policy nOutOf(int n, Principal... principals) {
        SignaturePolicyEnvelope.Builder envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0);
        SignaturePolicy.NOutOf.Builder gate = SignaturePolicy.NOutOf.newBuilder().setN(n);
        for (int i = 0; i < principals.length; i++) {
            envelope.addIdentities(MSPPrincipal.newBuilder()
                    .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder()
                            .setMspIdentifier(principals[i].mspId())
                            .setRole(principals[i].role())
                            .build()
                            .toByteString()));
            gate.addRules(SignaturePolicy.newBuilder().setSignedBy(i));
        }
        envelope.setRule(SignaturePolicy.newBuilder().setNOutOf(gate));
        return Policy.newBuilder()
                .setType(Policy.PolicyType.SIGNATURE_VALUE)
                .setValue(envelope.build().toByteString())
                .build();
    }

    public static Policy implicitMeta(ImplicitMetaPolicy.Rule rule, String subPolicy) {
        return Policy.newBuilder()
                .setType(Policy.PolicyType.IMPLICIT_META_VALUE)
                .setValue(ImplicitMetaPolicy.newBuilder().setRule(rule).setSubPolicy(subPolicy).build().toByteString())
                .build();
    }
}
