package io.sandbox.devnet.peer.endorsement;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.identity.Ecdsa;
import io.sandbox.core.fabric.identity.FabricIdentity;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Fabric's endorsement and transaction assembly messages: the proposal response of {@code core/endorser}
 * ({@code ProcessProposalSuccessfullyOrError}) with the default endorsement plugin's signature, and the
 * transaction built from endorsements ({@code protoutil.CreateTx} / the gateway's {@code prepareTransaction}).
 */
public final class Endorsements {

    /** {@code shim.ERRORTHRESHOLD}: a chaincode status from which the endorser does not endorse. */
    public static final int ERROR_THRESHOLD = 400;
    /** {@code shim.ERROR}. */
    public static final int ERROR = 500;

    private Endorsements() {}

    /** A signer's serialized identity (MSP id and PEM certificate), as {@code SigningIdentity.Serialize}. */
    public static ByteString serializedIdentity(FabricIdentity identity) {
        return SerializedIdentity.newBuilder().setMspid(identity.mspId())
                .setIdBytes(ByteString.copyFromUtf8(identity.signing().certificatePem())).build().toByteString();
    }

    /** ECDSA (SHA-256) signature of {@code message} by the identity's signing key. */
    public static ByteString sign(FabricIdentity identity, byte[] message) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(message);
            return ByteString.copyFrom(Ecdsa.signDigest(identity.signing().privateKey(), digest));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /**
     * {@code protoutil.GetBytesProposalResponsePayload}: {@code ProposalResponsePayload{proposal_hash,
     * extension = ChaincodeAction{results, events, response, chaincode_id}}}.
     */
    public static ByteString proposalResponsePayload(ByteString proposalHash, Response response, ByteString results,
            ByteString events, ChaincodeID chaincodeId) {
        ChaincodeAction action = ChaincodeAction.newBuilder().setResults(results).setEvents(events)
                .setResponse(response).setChaincodeId(chaincodeId).build();
        return ProposalResponsePayload.newBuilder().setProposalHash(proposalHash)
                .setExtension(action.toByteString()).build().toByteString();
    }

    /**
     * The endorser's answer to a simulated proposal: status &ge; 500 → the response and the payload, unendorsed;
     * 400..499 → the response only; otherwise endorsed by {@code signer} (endorsement = {endorser = serialized
     * identity, signature = sign(payload ‖ endorser)}, the default {@code escc} plugin), version 1.
     */
    public static ProposalResponse respond(ByteString proposalHash, Response response, ByteString results,
            ByteString events, ChaincodeID chaincodeId, FabricIdentity signer) {
        ByteString prp = proposalResponsePayload(proposalHash, response, results, events, chaincodeId);
        if (response.getStatus() >= ERROR) {
            return ProposalResponse.newBuilder().setResponse(response).setPayload(prp).build();
        }
        if (response.getStatus() >= ERROR_THRESHOLD) {
            return ProposalResponse.newBuilder().setResponse(response).build();
        }
        ByteString endorser = serializedIdentity(signer);
        Endorsement endorsement = Endorsement.newBuilder().setEndorser(endorser)
                .setSignature(sign(signer, prp.concat(endorser).toByteArray())).build();
        return ProposalResponse.newBuilder().setVersion(1).setEndorsement(endorsement).setPayload(prp)
                .setResponse(response).build();
    }

    /**
     * The unsigned transaction envelope of a proposal and its endorsements (all over the same payload), as
     * Fabric's gateway {@code prepareTransaction}: the transient map is dropped, duplicate endorsers removed.
     */
    public static Envelope preparedTransaction(Proposal proposal, ByteString proposalResponsePayload,
            List<Endorsement> endorsements) {
        try {
            Header header = Header.parseFrom(proposal.getHeader());
            ChaincodeProposalPayload cpp = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            ByteString cppNoTransient = ChaincodeProposalPayload.newBuilder().setInput(cpp.getInput()).build()
                    .toByteString();
            List<Endorsement> unique = new ArrayList<>();
            Set<ByteString> seen = new HashSet<>();
            for (Endorsement e : endorsements) {
                if (seen.add(e.getEndorser())) {
                    unique.add(e);
                }
            }
            ChaincodeActionPayload cap = ChaincodeActionPayload.newBuilder()
                    .setChaincodeProposalPayload(cppNoTransient)
                    .setAction(ChaincodeEndorsedAction.newBuilder()
                            .setProposalResponsePayload(proposalResponsePayload).addAllEndorsements(unique))
                    .build();
            Transaction tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                    .setHeader(header.getSignatureHeader()).setPayload(cap.toByteString())).build();
            Payload payload = Payload.newBuilder().setHeader(header).setData(tx.toByteString()).build();
            return Envelope.newBuilder().setPayload(payload.toByteString()).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed proposal: " + e.getMessage(), e);
        }
    }

    /**
     * {@code protoutil.CreateSignedTx}: checks that every response succeeded and carries the same payload, then
     * assembles and signs the transaction with {@code signer} (who must be the proposal's creator).
     */
    public static Envelope signedTransaction(Proposal proposal, List<ProposalResponse> responses,
            FabricIdentity signer) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("at least one proposal response is required");
        }
        ByteString payload = responses.get(0).getPayload();
        List<Endorsement> endorsements = new ArrayList<>();
        for (ProposalResponse r : responses) {
            if (r.getResponse().getStatus() < 200 || r.getResponse().getStatus() >= ERROR_THRESHOLD) {
                throw new IllegalArgumentException("proposal response was not successful, error code "
                        + r.getResponse().getStatus() + ", msg " + r.getResponse().getMessage());
            }
            if (!r.getPayload().equals(payload)) {
                throw new IllegalArgumentException("ProposalResponsePayloads do not match");
            }
            endorsements.add(r.getEndorsement());
        }
        Envelope unsigned = preparedTransaction(proposal, payload, endorsements);
        return unsigned.toBuilder().setSignature(sign(signer, unsigned.getPayload().toByteArray())).build();
    }
}
