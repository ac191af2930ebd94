package io.sandbox.core.fabric.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.junit.jupiter.api.Test;

class ProposalsTest {

    static final OrganisationMaterial ORG = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("Org1MSP", "org1.sandbox.test", "peer0"));
    static final AdminIdentity ADMIN = AdminIdentity.of(ORG.admin());
    static final AdminIdentity USER = AdminIdentity.of(ORG.user());

    @Test
    void proposalIsSignedByTheCreatorWithFabricsTxIdAndHeaders() throws Exception {
        var built = Proposals.proposal(ADMIN, "ch1", "_lifecycle",
                List.of(ByteString.copyFromUtf8("QueryChaincodeDefinition"), ByteString.copyFromUtf8("x")));
        Proposal proposal = Proposal.parseFrom(built.signed().getProposalBytes());
        assertThat(proposal).isEqualTo(built.proposal());
        Header header = Header.parseFrom(proposal.getHeader());
        ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
        SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());

        assertThat(channelHeader.getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION_VALUE);
        assertThat(channelHeader.getChannelId()).isEqualTo("ch1");
        assertThat(ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension()).getChaincodeId().getName())
                .isEqualTo("_lifecycle");
        assertThat(signatureHeader.getNonce().size()).isEqualTo(24);
        SerializedIdentity creator = SerializedIdentity.parseFrom(signatureHeader.getCreator());
        assertThat(creator.getMspid()).isEqualTo("Org1MSP");
        assertThat(creator.getIdBytes().toStringUtf8()).isEqualTo(ORG.admin().signing().certificatePem());

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(signatureHeader.getNonce().toByteArray());
        sha.update(signatureHeader.getCreator().toByteArray());
        assertThat(channelHeader.getTxId()).isEqualTo(HexFormat.of().formatHex(sha.digest())).isEqualTo(built.txId());

        var input = ChaincodeInvocationSpec.parseFrom(ChaincodeProposalPayload.parseFrom(proposal.getPayload())
                .getInput()).getChaincodeSpec().getInput();
        assertThat(input.getArgsList()).extracting(ByteString::toStringUtf8)
                .containsExactly("QueryChaincodeDefinition", "x");
        assertThat(verifies(ORG.admin().signing().certificate(), built.signed().getProposalBytes(),
                built.signed().getSignature())).isTrue();
    }

    @Test
    void transactionCarriesTheEndorsementsAndIsSignedByTheCreator() throws Exception {
        var built = Proposals.proposal(ADMIN, "ch1", "_lifecycle", List.of(ByteString.copyFromUtf8("Commit")));
        ByteString payload = ByteString.copyFromUtf8("response-payload");
        Envelope envelope = Proposals.transaction(ADMIN, built.proposal(),
                List.of(endorsed(payload, "peerA"), endorsed(payload, "peerB")));

        assertThat(verifies(ORG.admin().signing().certificate(), envelope.getPayload(), envelope.getSignature()))
                .isTrue();
        Payload envelopePayload = Payload.parseFrom(envelope.getPayload());
        Header proposalHeader = Header.parseFrom(built.proposal().getHeader());
        assertThat(envelopePayload.getHeader()).isEqualTo(proposalHeader);
        Transaction tx = Transaction.parseFrom(envelopePayload.getData());
        assertThat(tx.getActionsList()).hasSize(1);
        assertThat(tx.getActions(0).getHeader()).isEqualTo(proposalHeader.getSignatureHeader());
        ChaincodeActionPayload action = ChaincodeActionPayload.parseFrom(tx.getActions(0).getPayload());
        assertThat(action.getAction().getProposalResponsePayload()).isEqualTo(payload);
        assertThat(action.getAction().getEndorsementsList()).extracting(e -> e.getEndorser().toStringUtf8())
                .containsExactly("peerA", "peerB");
        assertThat(action.getChaincodeProposalPayload()).isEqualTo(built.proposal().getPayload());
    }

    @Test
    void transactionRefusesUnusableResponses() {
        var built = Proposals.proposal(ADMIN, "ch1", "_lifecycle", List.of(ByteString.copyFromUtf8("Commit")));
        ByteString payload = ByteString.copyFromUtf8("p");
        assertThatThrownBy(() -> Proposals.transaction(ADMIN, built.proposal(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proposals.transaction(ADMIN, built.proposal(),
                List.of(endorsed(payload, "a"), endorsed(ByteString.copyFromUtf8("other"), "b"))))
                .hasMessageContaining("do not match");
        ProposalResponse failed = endorsed(payload, "a").toBuilder()
                .setResponse(Response.newBuilder().setStatus(500).setMessage("boom")).build();
        assertThatThrownBy(() -> Proposals.transaction(ADMIN, built.proposal(), List.of(failed)))
                .hasMessageContaining("error code 500").hasMessageContaining("boom");
        ProposalResponse unendorsed = endorsed(payload, "a").toBuilder().clearEndorsement().build();
        assertThatThrownBy(() -> Proposals.transaction(ADMIN, built.proposal(), List.of(unendorsed)))
                .hasMessageContaining("not endorsed");
        assertThatThrownBy(() -> Proposals.transaction(USER, built.proposal(), List.of(endorsed(payload, "a"))))
                .hasMessageContaining("creator");
    }

    private static ProposalResponse endorsed(ByteString payload, String endorser) {
        return ProposalResponse.newBuilder().setVersion(1).setResponse(Response.newBuilder().setStatus(200))
                .setPayload(payload).setEndorsement(Endorsement.newBuilder()
                        .setEndorser(ByteString.copyFromUtf8(endorser)).setSignature(ByteString.copyFromUtf8("sig")))
                .build();
    }

    private static boolean verifies(X509Certificate cert, ByteString message, ByteString signature) throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(message.toByteArray());
        return verifier.verify(signature.toByteArray());
    }
}
