package io.sandbox.dashboard.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Test data: Fabric blocks built from protos the way a peer delivers them, with correct hashes. */
public final class TestBlocks {

    private static OrganisationMaterial org;

    private TestBlocks() {
    }

    /** A startup organisation's material, generated once. */
    public static synchronized OrganisationMaterial org() {
        if (org == null) {
            org = OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("AcmeMSP", "acme.sandbox.local", "peer0"));
        }
        return org;
    }

    /** The creator/endorser identity bytes of the test organisation's user. */
    public static ByteString identity(String mspId) {
        return SerializedIdentity.newBuilder().setMspid(mspId)
                .setIdBytes(ByteString.copyFromUtf8(org().user().signing().certificatePem())).build().toByteString();
    }

    /** The reporting event of an onboarding, as the sandbox chaincode writes it. */
    public static String onboardedEvent(String customer, String txId) {
        return "{\"schema\":\"sandbox.reporting/1\",\"type\":\"CUSTOMER_ONBOARDED\",\"customerRef\":\"" + customer
                + "\",\"jurisdiction\":\"DE\",\"riskTier\":\"LOW\",\"timestamp\":\"2026-03-01T09:30:00Z\",\"txId\":\""
                + txId + "\"}";
    }

    /** An endorser transaction of the sandbox chaincode: onboardCustomer reading and writing the customer's key. */
    public static Envelope onboarding(String txId, String customer) {
        String key = "\u0000customer\u0000" + customer + "\u0000";
        return endorserTransaction(txId, "sandbox", List.of("onboardCustomer", customer, "DE", "LOW"),
                Map.of("sandbox", List.of(key)), Map.of("sandbox", List.of(key)), "sandbox.v1",
                onboardedEvent(customer, txId), List.of("AcmeMSP", "RegulatorMSP"));
    }

    /** A complete endorser transaction envelope. */
    public static Envelope endorserTransaction(String txId, String chaincode, List<String> args,
            Map<String, List<String>> reads, Map<String, List<String>> writes, String eventName, String eventPayload,
            List<String> endorsers) {
        ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        args.forEach(a -> input.addArgs(ByteString.copyFromUtf8(a)));
        ChaincodeProposalPayload proposal = ChaincodeProposalPayload.newBuilder()
                .setInput(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(ChaincodeSpec.Type.JAVA).setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
                        .setInput(input)).build().toByteString())
                .build();
        TxReadWriteSet.Builder rwset = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        java.util.Set<String> namespaces = new java.util.TreeSet<>(reads.keySet());
        namespaces.addAll(writes.keySet());
        for (String ns : namespaces) {
            KVRWSet.Builder kv = KVRWSet.newBuilder();
            reads.getOrDefault(ns, List.of()).forEach(k -> kv.addReads(KVRead.newBuilder().setKey(k)
                    .setVersion(Version.newBuilder().setBlockNum(1).setTxNum(0))));
            writes.getOrDefault(ns, List.of()).forEach(k -> kv.addWrites(KVWrite.newBuilder().setKey(k)
                    .setValue(ByteString.copyFromUtf8("{\"value\":\"" + k.length() + "\"}"))));
            rwset.addNsRwset(NsReadWriteSet.newBuilder().setNamespace(ns).setRwset(kv.build().toByteString()));
        }
        ChaincodeAction.Builder action = ChaincodeAction.newBuilder().setResults(rwset.build().toByteString())
                .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode).setVersion("1.0"));
        if (eventName != null) {
            action.setEvents(ChaincodeEvent.newBuilder().setChaincodeId(chaincode).setTxId(txId).setEventName(eventName)
                    .setPayload(ByteString.copyFromUtf8(eventPayload)).build().toByteString());
        }
        ChaincodeEndorsedAction.Builder endorsed = ChaincodeEndorsedAction.newBuilder()
                .setProposalResponsePayload(ProposalResponsePayload.newBuilder()
                        .setProposalHash(ByteString.copyFrom(new byte[32]))
                        .setExtension(action.build().toByteString()).build().toByteString());
        for (String msp : endorsers) {
            endorsed.addEndorsements(Endorsement.newBuilder().setEndorser(identity(msp))
                    .setSignature(ByteString.copyFrom(new byte[71])));
        }
        Transaction tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setHeader(ByteString.copyFrom(new byte[16]))
                .setPayload(ChaincodeActionPayload.newBuilder().setChaincodeProposalPayload(proposal.toByteString())
                        .setAction(endorsed).build().toByteString())).build();
        return envelope(HeaderType.ENDORSER_TRANSACTION, txId, "AcmeMSP", tx.toByteString());
    }

    /** An envelope of any type with the given data. */
    public static Envelope envelope(HeaderType type, String txId, String creatorMsp, ByteString data) {
        Instant now = Instant.parse("2026-03-01T09:30:00.123456Z");
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(type.getNumber()).setTxId(txId)
                .setChannelId("sandbox-acme")
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(identity(creatorMsp))
                .setNonce(ByteString.copyFrom(new byte[24])).build();
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder()
                .setChannelHeader(channelHeader.toByteString()).setSignatureHeader(signatureHeader.toByteString()))
                .setData(data).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).setSignature(ByteString.copyFrom(new byte[71]))
                .build();
    }

    /** A block following {@code previous} (null for block 0), with these envelopes and validation codes. */
    public static Block block(Block previous, List<ByteString> envelopes, List<TxValidationCode> codes) {
        BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(previous == null ? 0 : previous.getHeader().getNumber() + 1)
                .setPreviousHash(previous == null ? ByteString.EMPTY
                        : ByteString.copyFrom(BlockHashes.headerHash(previous.getHeader())))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))).build();
        byte[] filter = new byte[codes.size()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) codes.get(i).getNumber();
        }
        BlockMetadata metadata = BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                .addMetadata(ByteString.copyFrom(filter)).addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                .build();
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }

    /** A chain of {@code count} blocks of {@code perBlock} valid onboardings each, block 0 included. */
    public static List<Block> chain(String prefix, int count, int perBlock) {
        List<Block> blocks = new ArrayList<>(count);
        Block previous = null;
        for (int b = 0; b < count; b++) {
            List<ByteString> envelopes = new ArrayList<>(perBlock);
            List<TxValidationCode> codes = new ArrayList<>(perBlock);
            for (int t = 0; t < perBlock; t++) {
                String txId = prefix + "-" + b + "-" + t;
                envelopes.add(onboarding(txId, "cust-" + txId).toByteString());
                codes.add(TxValidationCode.VALID);
            }
            previous = block(previous, envelopes, codes);
            blocks.add(previous);
        }
        return blocks;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
