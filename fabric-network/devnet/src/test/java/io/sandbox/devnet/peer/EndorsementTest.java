package io.sandbox.devnet.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox.devnet.peer.state.TxRecord;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step 1: the lifecycle through proposals and broadcasts, then a user chaincode endorsed by both orgs. */
class EndorsementTest {

    @TempDir
    Path dir;

    @Test
    void lifecycleThenInvokeEndorsedByBothOrgsCommitsValidOnBothPeers() throws Exception {
        try (Devnet net = new Devnet(dir)) {
            // before the definition: Fabric's unknown chaincode answer
            ProposalResponse unknown = Devnet.send(net.st, Devnet.proposal(Devnet.STARTUP.user(), Devnet.CH, Devnet.CC,
                    List.of(Devnet.utf8("getCustomer"), Devnet.utf8("cust-1"))));
            assertThat(unknown.getResponse().getStatus()).isEqualTo(500);
            assertThat(unknown.getResponse().getMessage()).contains("make sure the chaincode sandbox has been "
                    + "successfully defined on channel sandbox and try again");
            // peer-local install needs the local MSP admin
            ProposalResponse notAdmin = Devnet.send(net.st, Devnet.proposal(Devnet.STARTUP.user(), "", "_lifecycle",
                    List.of(Devnet.utf8("QueryInstalledChaincodes"), com.google.protobuf.ByteString.EMPTY)));
            assertThat(notAdmin.getResponse().getStatus()).isEqualTo(500);
            assertThat(notAdmin.getResponse().getMessage()).contains("Failed to authorize invocation");

            net.deployReferenceChaincode();

            var sp = Devnet.proposal(Devnet.STARTUP.user(), Devnet.CH, Devnet.CC,
                    List.of(Devnet.utf8("onboardCustomer"), Devnet.utf8("cust-1"), Devnet.utf8("DE"), Devnet.utf8("LOW")));
            ProposalResponse a = Devnet.check(Devnet.send(net.reg, sp));
            ProposalResponse b = Devnet.check(Devnet.send(net.st, sp));
            assertThat(a.getPayload()).isEqualTo(b.getPayload());
            assertThat(a.getVersion()).isEqualTo(1);
            assertThat(a.getEndorsement().getEndorser()).isNotEqualTo(b.getEndorsement().getEndorser());
            ChaincodeAction action = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(a.getPayload()).getExtension());
            assertThat(action.getChaincodeId().getName()).isEqualTo("sandbox");
            assertThat(action.getChaincodeId().getVersion()).isEqualTo("1.0");
            assertThat(action.getResponse().getStatus()).isEqualTo(200);
            assertThat(ChaincodeEvent.parseFrom(action.getEvents()).getEventName()).isEqualTo("sandbox.v1");

            String tx = net.submit(Devnet.STARTUP.user(), Devnet.CC, List.of(net.reg, net.st),
                    "onboardCustomer", "cust-1", "DE", "LOW");
            for (PeerNode p : List.of(net.regPeer, net.stPeer)) {
                TxRecord record = Devnet.awaitTx(p, tx);
                assertThat(record.validationCode()).isEqualTo(TxValidationCode.VALID);
                assertThat(p.channel(Devnet.CH).state().range("sandbox", "", "")).isNotEmpty();
            }
            // one org's endorsement does not satisfy MAJORITY Endorsement
            String single = net.submit(Devnet.STARTUP.user(), Devnet.CC, List.of(net.st),
                    "onboardCustomer", "cust-2", "DE", "LOW");
            assertThat(Devnet.awaitTx(net.regPeer, single).validationCode())
                    .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
            // a chaincode error is answered without endorsement
            ProposalResponse dup = Devnet.send(net.reg, Devnet.proposal(Devnet.STARTUP.user(), Devnet.CH, Devnet.CC,
                    List.of(Devnet.utf8("onboardCustomer"), Devnet.utf8("cust-1"), Devnet.utf8("DE"), Devnet.utf8("LOW"))));
            assertThat(dup.getResponse().getStatus()).isGreaterThanOrEqualTo(400);
            assertThat(dup.hasEndorsement()).isFalse();
        }
    }
}
