package io.sandbox.devnet.peer.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.lifecycle.ChaincodePackage;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.core.fabric.policy.ValidatedIdentity;
import io.sandbox.devnet.chaincode.TransactionSimulator;
import io.sandbox.devnet.peer.state.WorldState;
import io.sandbox.devnet.peer.validation.EndorsementPolicies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessResult;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

    static final String CH = "sandbox-ch";
    static final String CONNECTION = "{\"address\":\"asset.local:9999\",\"dial_timeout\":\"10s\"}";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /** Policies that only answer hasPolicy (the lifecycle needs no more). */
    static final ChannelPolicies POLICIES = new ChannelPolicies() {
        public String channelId() { return CH; }
        public ValidatedIdentity validate(ByteString id) { throw new UnsupportedOperationException(); }
        public PolicyResult evaluate(String path, List<SignedData> s) { return new PolicyResult(true, path); }
        public PolicyResult evaluateIdentities(String path, List<ByteString> ids) { return new PolicyResult(true, path); }
        public String aclPolicy(String resource) { throw new UnsupportedOperationException(); }
        public Set<String> mspIds() { return Set.of("OrdererMSP", "OrgAMSP", "OrgBMSP"); }
        public boolean hasPolicy(String path) { return true; }
    };
    static final Lifecycle.Channel CHANNEL = new Lifecycle.Channel(CH, POLICIES, Set.of("OrgAMSP", "OrgBMSP"));

    final WorldState ws = new WorldState(CH);
    final ChaincodePackage pkg = ChaincodePackage.ccaas("asset_1.0", CONNECTION);

    /** Runs one simulated _lifecycle transaction; commits its writes as the next (valid) block. */
    <T> T tx(Function<TransactionSimulator, T> body) {
        AtomicReference<TxReadWriteSet> rwset = new AtomicReference<>();
        T result;
        try (WorldState.Snapshot snapshot = ws.snapshot()) {
            TransactionSimulator sim = new TransactionSimulator(snapshot, "tx" + ws.height());
            try {
                result = body.apply(sim);
            } catch (RuntimeException e) {
                sim.abandon();
                throw e;
            }
            rwset.set(sim.results());
        }
        ws.commit(block(ws.height(), rwset.get()));
        return result;
    }

    static Block block(long number, TxReadWriteSet rwset) {
        ByteString prp = ProposalResponsePayload.newBuilder().setExtension(ChaincodeAction.newBuilder()
                .setResults(rwset.toByteString()).build().toByteString()).build().toByteString();
        ByteString tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder().setPayload(
                ChaincodeActionPayload.newBuilder().setAction(ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(prp)).build().toByteString())).build().toByteString();
        Envelope env = Envelope.newBuilder().setPayload(Payload.newBuilder().setHeader(Header.newBuilder()
                .setChannelHeader(ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                        .setChannelId(CH).setTxId("tx" + number).build().toByteString()))
                .setData(tx).build().toByteString()).build();
        return Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(number))
                .setData(BlockData.newBuilder().addData(env.toByteString()))
                .setMetadata(BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                        .addMetadata(ByteString.copyFrom(new byte[] {0})))
                .build();
    }

    static ApproveChaincodeDefinitionForMyOrgArgs approve(long sequence, String packageId) {
        return ApproveChaincodeDefinitionForMyOrgArgs.newBuilder().setName("asset").setVersion("1.0")
                .setSequence(sequence)
                .setSource(ChaincodeSource.newBuilder().setLocalPackage(
                        ChaincodeSource.Local.newBuilder().setPackageId(packageId)))
                .build();
    }

    static CommitChaincodeDefinitionArgs commit(long sequence) {
        return CommitChaincodeDefinitionArgs.newBuilder().setName("asset").setVersion("1.0").setSequence(sequence)
                .build();
    }

    @Test
    void installThenQueryInstalled() throws Exception {
        Lifecycle a = new Lifecycle("OrgAMSP", new InstalledChaincodes(dirA));
        InstallChaincodeResult installed = a.installChaincode(InstallChaincodeArgs.newBuilder()
                .setChaincodeInstallPackage(ByteString.copyFrom(pkg.bytes())).build());
        assertThat(installed.getPackageId()).isEqualTo(pkg.packageId());
        assertThat(installed.getLabel()).isEqualTo("asset_1.0");
        assertThat(dirA.resolve("lifecycle/chaincodes/" + pkg.packageId().replace(':', '.') + ".tar.gz")).exists();

        QueryInstalledChaincodeResult one = a.queryInstalledChaincode(QueryInstalledChaincodeArgs.newBuilder()
                .setPackageId(pkg.packageId()).build());
        assertThat(one.getLabel()).isEqualTo("asset_1.0");
        QueryInstalledChaincodesResult all = a.queryInstalledChaincodes(QueryInstalledChaincodesArgs.getDefaultInstance());
        assertThat(all.getInstalledChaincodesList()).extracting(c -> c.getPackageId()).containsExactly(pkg.packageId());

        // via the SCC dispatch, as the CLI sends it
        Response again = a.invoke(null, null, List.of(ByteString.copyFromUtf8("InstallChaincode"),
                InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(pkg.bytes()))
                        .build().toByteString()), true);
        assertThat(again.getStatus()).isEqualTo(500);
        assertThat(again.getMessage()).isEqualTo("failed to invoke backing implementation of 'InstallChaincode':"
                + " chaincode already successfully installed (package ID '" + pkg.packageId() + "')");
        Response get = a.invoke(null, null, List.of(ByteString.copyFromUtf8("GetInstalledChaincodePackage"),
                ByteString.EMPTY), true);
        assertThat(get.getStatus()).isEqualTo(404);
        Response denied = a.invoke(null, null, List.of(ByteString.copyFromUtf8("QueryInstalledChaincodes"),
                ByteString.EMPTY), false);
        assertThat(denied.getMessage()).startsWith("Failed to authorize invocation due to failed ACL check");
        Response list = a.invoke(null, null, List.of(ByteString.copyFromUtf8("QueryInstalledChaincodes"),
                ByteString.EMPTY), true);
        assertThat(QueryInstalledChaincodesResult.parseFrom(list.getPayload())).isEqualTo(all);
    }

    @Test
    void approveCheckCommitQuery() throws Exception {
        InstalledChaincodes storeA = new InstalledChaincodes(dirA);
        Lifecycle a = new Lifecycle("OrgAMSP", storeA);
        Lifecycle b = new Lifecycle("OrgBMSP", new InstalledChaincodes(dirB));
        a.installChaincode(InstallChaincodeArgs.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(pkg.bytes())).build());

        // sequence 2 before sequence 1 is refused
        assertThatThrownBy(() -> tx(sim -> a.approveChaincodeDefinitionForMyOrg(CHANNEL, sim, approve(2, pkg.packageId()))))
                .hasMessage("requested sequence 2 is larger than the next available sequence number 1");

        tx(sim -> a.approveChaincodeDefinitionForMyOrg(CHANNEL, sim, approve(1, pkg.packageId())));
        assertThatThrownBy(() -> tx(sim -> a.approveChaincodeDefinitionForMyOrg(CHANNEL, sim, approve(1, pkg.packageId()))))
                .hasMessage("attempted to redefine uncommitted sequence (1) for namespace asset with unchanged content");

        QueryApprovedChaincodeDefinitionResult approved = tx(sim -> a.queryApprovedChaincodeDefinition(CHANNEL, sim,
                QueryApprovedChaincodeDefinitionArgs.newBuilder().setName("asset").build()));
        assertThat(approved.getSequence()).isEqualTo(1);
        assertThat(approved.getValidationPlugin()).isEqualTo("vscc");
        assertThat(approved.getValidationParameter()).isEqualTo(Lifecycle.DEFAULT_ENDORSEMENT_POLICY);
        assertThat(approved.getSource().getLocalPackage().getPackageId()).isEqualTo(pkg.packageId());

        // only A approved: B's peer refuses to endorse the commit with Fabric's message; with the optional majority rule A's does too
        assertThatThrownBy(() -> tx(sim -> b.commitChaincodeDefinition(CHANNEL, sim, commit(1))))
                .hasMessage("chaincode definition not agreed to by this org (OrgBMSP)");
        Response viaScc = tx(sim -> b.invoke(CHANNEL, sim, List.of(ByteString.copyFromUtf8("CommitChaincodeDefinition"),
                commit(1).toByteString()), false));
        assertThat(viaScc.getStatus()).isEqualTo(500);
        assertThat(viaScc.getMessage()).isEqualTo("failed to invoke backing implementation of"
                + " 'CommitChaincodeDefinition': chaincode definition not agreed to by this org (OrgBMSP)");
        Lifecycle strictA = new Lifecycle("OrgAMSP", storeA, Map::of, true);
        assertThatThrownBy(() -> tx(sim -> strictA.commitChaincodeDefinition(CHANNEL, sim, commit(1))))
                .hasMessageStartingWith("chaincode definition approved by 1 of 2 orgs, not by a majority");

        tx(sim -> b.approveChaincodeDefinitionForMyOrg(CHANNEL, sim, approve(1, "")));
        CheckCommitReadinessResult ready = tx(sim -> a.checkCommitReadiness(CHANNEL, sim,
                CheckCommitReadinessArgs.newBuilder().setName("asset").setVersion("1.0").setSequence(1).build()));
        assertThat(ready.getApprovalsMap()).isEqualTo(Map.of("OrgAMSP", true, "OrgBMSP", true));
        CheckCommitReadinessResult otherVersion = tx(sim -> a.checkCommitReadiness(CHANNEL, sim,
                CheckCommitReadinessArgs.newBuilder().setName("asset").setVersion("2.0").setSequence(1).build()));
        assertThat(otherVersion.getApprovalsMap()).isEqualTo(Map.of("OrgAMSP", false, "OrgBMSP", false));
        assertThat(otherVersion.getMismatchesMap().get("OrgAMSP").getItemsList()).containsExactly("EndorsementInfo");

        assertThatThrownBy(() -> tx(sim -> a.commitChaincodeDefinition(CHANNEL, sim, commit(2))))
                .hasMessage("requested sequence is 2, but new definition must be sequence 1");
        tx(sim -> a.commitChaincodeDefinition(CHANNEL, sim, commit(1)));

        QueryChaincodeDefinitionResult def = tx(sim -> a.queryChaincodeDefinition(CHANNEL, sim,
                QueryChaincodeDefinitionArgs.newBuilder().setName("asset").build()));
        assertThat(def.getSequence()).isEqualTo(1);
        assertThat(def.getVersion()).isEqualTo("1.0");
        assertThat(def.getEndorsementPlugin()).isEqualTo("escc");
        assertThat(def.getValidationParameter()).isEqualTo(Lifecycle.DEFAULT_ENDORSEMENT_POLICY);
        assertThat(def.getApprovalsMap()).isEqualTo(Map.of("OrgAMSP", true, "OrgBMSP", true));
        QueryChaincodeDefinitionsResult defs = tx(sim -> a.queryChaincodeDefinitions(CHANNEL, sim,
                QueryChaincodeDefinitionsArgs.getDefaultInstance()));
        assertThat(defs.getChaincodeDefinitionsList()).extracting(d -> d.getName()).containsExactly("asset");
        Response missing = tx(sim -> a.invoke(CHANNEL, sim, List.of(ByteString.copyFromUtf8("QueryChaincodeDefinition"),
                QueryChaincodeDefinitionArgs.newBuilder().setName("other").build().toByteString()), false));
        assertThat(missing.getStatus()).isEqualTo(404);
        assertThat(missing.getMessage()).isEqualTo("namespace other is not defined");
        assertThatThrownBy(() -> tx(sim -> a.approveChaincodeDefinitionForMyOrg(CHANNEL, sim, approve(1, pkg.packageId()))))
                .hasMessage("attempted to redefine the current committed sequence (1) for namespace asset");

        // the rest of the peer: definitions, endorsement policies, the package to run
        ChaincodeDefinitions seenByA = a.definitions(ws);
        ChaincodeDefinition cd = seenByA.definition("asset").orElseThrow();
        assertThat(cd.sequence()).isEqualTo(1);
        assertThat(cd.endorsementPolicyReference()).contains(EndorsementPolicies.DEFAULT_ENDORSEMENT);
        EndorsementPolicies policies = seenByA.endorsementPolicies();
        assertThat(policies.forNamespace("asset").orElseThrow().toString()).isEqualTo("/Channel/Application/Endorsement");
        assertThat(policies.forNamespace("_lifecycle").orElseThrow().toString())
                .isEqualTo("/Channel/Application/LifecycleEndorsement");
        assertThat(policies.forNamespace("unknown")).isEmpty();
        ChaincodeDefinitions.LocalChaincode local = seenByA.installedPackageFor("asset").orElseThrow();
        assertThat(local.packageId()).isEqualTo(pkg.packageId());
        assertThat(local.connectionInfo().address()).isEqualTo("asset.local:9999");
        assertThat(local.connectionInfo().dialTimeout()).hasSeconds(10);
        assertThat(b.definitions(ws).installedPackageFor("asset")).isEmpty(); // B approved no package

        Lifecycle withRefs = new Lifecycle("OrgAMSP", storeA, () -> Map.of(CH, ws), true);
        assertThat(withRefs.queryInstalledChaincode(QueryInstalledChaincodeArgs.newBuilder()
                .setPackageId(pkg.packageId()).build()).getReferencesMap().get(CH).getChaincodesList())
                .extracting(c -> c.getName() + "@" + c.getVersion()).containsExactly("asset@1.0");
    }

    @Test
    void refusesSignaturePolicies() {
        Lifecycle a = new Lifecycle("OrgAMSP", new InstalledChaincodes(dirA));
        ByteString signaturePolicy = org.hyperledger.fabric.protos.peer.ApplicationPolicy.newBuilder()
                .setSignaturePolicy(org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope.getDefaultInstance())
                .build().toByteString();
        assertThatThrownBy(() -> tx(sim -> a.approveChaincodeDefinitionForMyOrg(CHANNEL, sim,
                approve(1, "").toBuilder().setValidationParameter(signaturePolicy).build())))
                .hasMessageContaining("SIGNATURE_POLICY, which is not supported by the devnet");
    }
}
