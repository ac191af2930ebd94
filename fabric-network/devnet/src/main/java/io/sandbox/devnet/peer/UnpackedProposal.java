package io.sandbox.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A signed proposal taken apart as Fabric's {@code UnpackProposal} ({@code core/endorser/msgvalidation.go}).
 *
 * @param proposalHash SHA-256 over channel header bytes, signature header bytes and the chaincode proposal
 *                     payload without its transient map
 */
public record UnpackedProposal(SignedProposal signedProposal, Proposal proposal, ChannelHeader channelHeader,
        SignatureHeader signatureHeader, String chaincodeName, ChaincodeInput input, ByteString proposalHash) {

    public String channelId() {
        return channelHeader.getChannelId();
    }

    public String txId() {
        return channelHeader.getTxId();
    }

    public ByteString creator() {
        return signatureHeader.getCreator();
    }

    /** Unpacks; the message of the exception is what Fabric answers (status 500). */
    static UnpackedProposal unpack(SignedProposal signed) throws InvalidProtocolBufferException, BadProposal {
        Proposal prop = Proposal.parseFrom(signed.getProposalBytes());
        Header hdr = Header.parseFrom(prop.getHeader());
        ChannelHeader chdr = ChannelHeader.parseFrom(hdr.getChannelHeader());
        SignatureHeader shdr = SignatureHeader.parseFrom(hdr.getSignatureHeader());
        ChaincodeHeaderExtension ext = ChaincodeHeaderExtension.parseFrom(chdr.getExtension());
        if (!ext.hasChaincodeId()) {
            throw new BadProposal("ChaincodeHeaderExtension.ChaincodeId is nil");
        }
        if (ext.getChaincodeId().getName().isEmpty()) {
            throw new BadProposal("ChaincodeHeaderExtension.ChaincodeId.Name is empty");
        }
        ChaincodeProposalPayload cpp = ChaincodeProposalPayload.parseFrom(prop.getPayload());
        ChaincodeInvocationSpec cis = ChaincodeInvocationSpec.parseFrom(cpp.getInput());
        if (!cis.hasChaincodeSpec()) {
            throw new BadProposal("chaincode invocation spec did not contain chaincode spec");
        }
        if (!cis.getChaincodeSpec().hasInput()) {
            throw new BadProposal("chaincode input did not contain any input");
        }
        ByteString noTransient = ChaincodeProposalPayload.newBuilder().setInput(cpp.getInput()).build().toByteString();
        MessageDigest sha = sha256();
        sha.update(hdr.getChannelHeader().toByteArray());
        sha.update(hdr.getSignatureHeader().toByteArray());
        sha.update(noTransient.toByteArray());
        return new UnpackedProposal(signed, prop, chdr, shdr, ext.getChaincodeId().getName(),
                cis.getChaincodeSpec().getInput(), ByteString.copyFrom(sha.digest()));
    }

    /** The header checks of Fabric's {@code UnpackedProposal.Validate} before the creator is looked at. */
    void validateHeaders() throws BadProposal {
        int type = channelHeader.getType();
        if (type != HeaderType.ENDORSER_TRANSACTION_VALUE && type != HeaderType.CONFIG_VALUE) {
            HeaderType known = HeaderType.forNumber(type);
            throw new BadProposal("invalid header type " + (known == null ? Integer.toString(type) : known.name()));
        }
        if (channelHeader.getEpoch() != 0) {
            throw new BadProposal("epoch is non-zero");
        }
        if (signatureHeader.getNonce().isEmpty()) {
            throw new BadProposal("nonce is empty");
        }
        if (signatureHeader.getCreator().isEmpty()) {
            throw new BadProposal("creator is empty");
        }
        String expected = computeTxId(signatureHeader.getNonce(), signatureHeader.getCreator());
        if (!expected.equals(txId())) {
            throw new BadProposal("incorrectly computed txid '" + txId() + "' -- expected '" + expected + "'");
        }
        if (signedProposal.getProposalBytes().isEmpty()) {
            throw new BadProposal("empty proposal bytes");
        }
        if (signedProposal.getSignature().isEmpty()) {
            throw new BadProposal("empty signature bytes");
        }
    }

    /** Fabric's {@code protoutil.ComputeTxID}: hex SHA-256 of nonce followed by creator. */
    public static String computeTxId(ByteString nonce, ByteString creator) {
        MessageDigest sha = sha256();
        sha.update(nonce.toByteArray());
        sha.update(creator.toByteArray());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proposal Fabric rejects with status 500 and this message. */
    static final class BadProposal extends Exception {
        BadProposal(String message) {
            super(message);
        }
    }
}
