package io.sandbox.devnet.chaincode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;

import io.sandbox.core.fabric.identity.FabricIdentity;

import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/** Builds real signed proposals, as a client (fabric-gateway) does. */
final class Proposals {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Proposals() {
    }

    static ChaincodeRuntime.Invocation invocation(FabricIdentity identity, String channel, String chaincode,
            Instant timestamp, String... args) throws Exception {
        ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (String arg : args) {
            input.addArgs(ByteString.copyFrom(arg, StandardCharsets.UTF_8));
        }
        byte[] creator = SerializedIdentity.newBuilder()
                .setMspid(identity.mspId())
                .setIdBytes(ByteString.copyFromUtf8(identity.signing().certificatePem()))
                .build().toByteArray();
        byte[] nonce = new byte[24];
        RANDOM.nextBytes(nonce);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(nonce);
        sha.update(creator);
        String txId = HexFormat.of().formatHex(sha.digest());

        ChannelHeader channelHeader = ChannelHeader.newBuilder()
                .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channel)
                .setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond())
                        .setNanos(timestamp.getNano()))
                .setExtension(ChaincodeHeaderExtension.newBuilder()
                        .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build().toByteString())
                .build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder()
                .setCreator(ByteString.copyFrom(creator))
                .setNonce(ByteString.copyFrom(nonce))
                .build();
        ChaincodeInput built = input.build();
        Proposal proposal = Proposal.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString())
                        .setSignatureHeader(signatureHeader.toByteString()).build().toByteString())
                .setPayload(ChaincodeProposalPayload.newBuilder().setInput(ChaincodeInvocationSpec.newBuilder()
                        .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
                                .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
                                .setInput(built)).build().toByteString()).build().toByteString())
                .build();
        byte[] proposalBytes = proposal.toByteArray();
        byte[] signature = identity.gatewaySigner().sign(MessageDigest.getInstance("SHA-256").digest(proposalBytes));
        SignedProposal signed = SignedProposal.newBuilder()
                .setProposalBytes(ByteString.copyFrom(proposalBytes))
                .setSignature(ByteString.copyFrom(signature))
                .build();
        return new ChaincodeRuntime.Invocation(channel, txId, chaincode, built, signed, false);
    }
}
