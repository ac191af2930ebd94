package io.sandbox.core.fabric.admin;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Fabric's proposal and transaction messages, as {@code protoutil} builds them: signed chaincode invocation
 * proposals ({@code CreateChaincodeProposalWithTxIDNonceAndTransient} + {@code GetSignedProposal}) and signed
 * transactions from endorsements ({@code CreateSignedTx}).
 */
final class Proposals {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_LENGTH = 24;

    private Proposals() {}

    /** A proposal with its transaction id. */
    record Built(String txId, Proposal proposal, SignedProposal signed) {}

    /** {@code SerializedIdentity{mspid, id_bytes = PEM certificate}}. */
    static ByteString creator(AdminIdentity identity) {
        return SerializedIdentity.newBuilder().setMspid(identity.mspId())
                .setIdBytes(ByteString.copyFromUtf8(pem(identity))).build().toByteString();
    }

    private static String pem(AdminIdentity identity) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(identity.certificate().getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the admin certificate", e);
        }
    }

    /** {@code protoutil.ComputeTxID}: hex SHA-256 of nonce ‖ creator. */
    static String txId(ByteString nonce, ByteString creator) {
        MessageDigest digest = sha256();
        digest.update(nonce.toByteArray());
        digest.update(creator.toByteArray());
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The identity's signature over SHA-256({@code message}). */
    static ByteString sign(AdminIdentity identity, byte[] message) {
        try {
            return ByteString.copyFrom(identity.signer().sign(sha256().digest(message)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** A signed {@code ENDORSER_TRANSACTION} proposal invoking {@code chaincode} with {@code args}. */
    static Built proposal(AdminIdentity identity, String channelId, String chaincode, List<ByteString> args) {
        byte[] nonceBytes = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonceBytes);
        ByteString nonce = ByteString.copyFrom(nonceBytes);
        ByteString creator = creator(identity);
        String txId = txId(nonce, creator);
        Instant now = Instant.now();
        ChaincodeID id = ChaincodeID.newBuilder().setName(chaincode).build();
        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId)
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(id).build().toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(creator).setNonce(nonce).build();
        ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.GOLANG).setChaincodeId(id)
                        .setInput(ChaincodeInput.newBuilder().addAllArgs(args)))
                .build();
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()).build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().setInput(spec.toByteString()).build().toByteString())
                .build();
        ByteString bytes = proposal.toByteString();
        SignedProposal signed = SignedProposal.newBuilder().setProposalBytes(bytes)
                .setSignature(sign(identity, bytes.toByteArray())).build();
        return new Built(txId, proposal, signed);
    }

    /**
     * {@code protoutil.CreateSignedTx}: the endorsed transaction envelope, signed by the proposal's creator. Every
     * response must be successful (status 200..399) and carry the same payload.
     *
     * @throws IllegalArgumentException when the responses cannot form a transaction
     */
    static Envelope transaction(AdminIdentity identity, Proposal proposal, List<ProposalResponse> responses) {
        if (responses.isEmpty()) {
            throw new IllegalArgumentException("at least one proposal response is required");
        }
        Header header;
        ChaincodeProposalPayload proposalPayload;
        try {
            header = Header.parseFrom(proposal.getHeader());
            proposalPayload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            if (!SignatureHeader.parseFrom(header.getSignatureHeader()).getCreator().equals(creator(identity))) {
                throw new IllegalArgumentException("the signer must be the proposal's creator");
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed proposal", e);
        }
        ByteString payload = responses.get(0).getPayload();
        List<Endorsement> endorsements = new ArrayList<>();
        for (ProposalResponse response : responses) {
            int status = response.getResponse().getStatus();
            if (status < 200 || status >= 400) {
                throw new IllegalArgumentException("proposal response was not successful, error code " + status
                        + ", msg " + response.getResponse().getMessage());
            }
            if (!response.getPayload().equals(payload)) {
                throw new IllegalArgumentException("ProposalResponsePayloads do not match");
            }
            if (!response.hasEndorsement()) {
                throw new IllegalArgumentException("proposal response is not endorsed");
            }
            endorsements.add(response.getEndorsement());
        }
        // the transaction carries the proposal payload without its transient map
        ChaincodeProposalPayload forTx = ChaincodeProposalPayload.newBuilder().setInput(proposalPayload.getInput())
                .build();
        ChaincodeActionPayload actionPayload = ChaincodeActionPayload.newBuilder()
                .setChaincodeProposalPayload(forTx.toByteString())
                .setAction(ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(payload)
                        .addAllEndorsements(endorsements))
                .build();
        Transaction tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setHeader(header.getSignatureHeader()).setPayload(actionPayload.toByteString())).build();
        ByteString envelopePayload = Payload.newBuilder().setHeader(header).setData(tx.toByteString()).build()
                .toByteString();
        return Envelope.newBuilder().setPayload(envelopePayload)
                .setSignature(sign(identity, envelopePayload.toByteArray())).build();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
