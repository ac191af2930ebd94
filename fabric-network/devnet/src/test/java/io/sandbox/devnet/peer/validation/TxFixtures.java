package io.sandbox.devnet.peer.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.channel.ChannelDescription;
import io.sandbox.core.fabric.channel.ChannelDescription.ApplicationOrg;
import io.sandbox.core.fabric.channel.ChannelDescription.Consenter;
import io.sandbox.core.fabric.channel.ChannelDescription.Msp;
import io.sandbox.core.fabric.channel.ChannelDescription.NodeOus;
import io.sandbox.core.fabric.channel.ChannelDescription.OrdererOrg;
import io.sandbox.core.fabric.channel.GenesisBlockBuilder;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/** Test data: a two-org channel and hand-built, really signed endorser transactions and blocks. */
final class TxFixtures {

    static final String CHANNEL = "sandbox-startup1";
    static final String CC = "asset";

    static final OrganisationMaterial ORDERER_ORG = OrganisationMaterial.generate(
            OrganisationSpec.ordererOrganisation("OperatorMSP", "operator.sandbox.test", "orderer0"));
    static final OrganisationMaterial REGULATOR = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("RegulatorMSP", "regulator.sandbox.test", "peer0"));
    static final OrganisationMaterial STARTUP = OrganisationMaterial.generate(
            OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0"));

    private static final SecureRandom RANDOM = new SecureRandom();

    private TxFixtures() {}

    static Block genesis() {
        FabricIdentity orderer0 = ORDERER_ORG.orderers().get(0);
        ByteString tls = ByteString.copyFromUtf8(orderer0.tls().certificatePem());
        OrdererOrg orderer = new OrdererOrg("OperatorOrg", msp(ORDERER_ORG), List.of("orderer0.operator.sandbox.test:7050"),
                List.of(new Consenter("orderer0.operator.sandbox.test", 7050, tls, tls)));
        return GenesisBlockBuilder.build(new ChannelDescription(CHANNEL, orderer,
                List.of(new ApplicationOrg("Regulator", msp(REGULATOR), List.of()),
                        new ApplicationOrg("Startup", msp(STARTUP), List.of())),
                "RegulatorMSP", true, null, null, null, null));
    }

    static Msp msp(OrganisationMaterial org) {
        return new Msp(org.mspId(), List.of(ByteString.copyFromUtf8(org.signingCa().certificatePem())),
                List.of(ByteString.copyFromUtf8(org.tlsCa().certificatePem())), NodeOus.standard());
    }

    static ByteString serialized(FabricIdentity identity) {
        return SerializedIdentity.newBuilder().setMspid(identity.mspId())
                .setIdBytes(ByteString.copyFromUtf8(identity.signing().certificatePem())).build().toByteString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An ECDSA signature as Fabric SDKs make it: over the SHA-256 digest, low S. */
    static ByteString sign(FabricIdentity signer, ByteString data) {
        try {
            return ByteString.copyFrom(signer.gatewaySigner().sign(sha256(data.toByteArray())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Version version(long block, long tx) {
        return Version.newBuilder().setBlockNum(block).setTxNum(tx).build();
    }

    /** The next block after {@code previous}, holding these envelopes (no metadata yet: the orderer's part). */
    static Block block(Block previous, Envelope... envelopes) {
        BlockData.Builder data = BlockData.newBuilder();
        for (Envelope e : envelopes) {
            data.addData(e.toByteString());
        }
        BlockData built = data.build();
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder()
                        .setNumber(previous.getHeader().getNumber() + 1)
                        .setPreviousHash(ByteString.copyFrom(BlockHashes.headerHash(previous.getHeader())))
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(built))))
                .setData(built)
                .setMetadata(BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY))
                .build();
    }

    static Tx tx() {
        return new Tx();
    }

    /** Builds one endorser transaction: proposal, simulated rwset, endorsements, signed envelope. */
    static final class Tx {
        String channel = CHANNEL;
        String chaincode = CC;
        FabricIdentity creator = STARTUP.user();
        List<FabricIdentity> endorsers = new ArrayList<>(List.of(REGULATOR.peers().get(0), STARTUP.peers().get(0)));
        byte[] nonce = RANDOM.generateSeed(24);
        String txId;
        long seconds = 1_700_000_000L + RANDOM.nextInt(1000);
        boolean tamperEndorsement;
        boolean tamperEnvelope;
        final KVRWSet.Builder rwset = KVRWSet.newBuilder();

        Tx creator(FabricIdentity id) {
            creator = id;
            return this;
        }

        Tx endorsers(FabricIdentity... ids) {
            endorsers = List.of(ids);
            return this;
        }

        Tx nonce(byte[] n) {
            nonce = n.clone();
            return this;
        }

        Tx txId(String id) {
            txId = id;
            return this;
        }

        Tx channel(String c) {
            channel = c;
            return this;
        }

        Tx tamperEndorsement() {
            tamperEndorsement = true;
            return this;
        }

        Tx tamperEnvelope() {
            tamperEnvelope = true;
            return this;
        }

        Tx read(String key, Version v) {
            KVRead.Builder r = KVRead.newBuilder().setKey(key);
            if (v != null) {
                r.setVersion(v);
            }
            rwset.addReads(r);
            return this;
        }

        Tx write(String key, String value) {
            rwset.addWrites(KVWrite.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)));
            return this;
        }

        Tx delete(String key) {
            rwset.addWrites(KVWrite.newBuilder().setKey(key).setIsDelete(true));
            return this;
        }

        Tx metadata(String key, String name, String value) {
            rwset.addMetadataWrites(KVMetadataWrite.newBuilder().setKey(key)
                    .addEntries(KVMetadataEntry.newBuilder().setName(name).setValue(ByteString.copyFromUtf8(value))));
            return this;
        }

        /** A range query [start, end) whose results were {@code reads} (exhausted iterator). */
        Tx range(String start, String end, KVRead... reads) {
            rwset.addRangeQueriesInfo(RangeQueryInfo.newBuilder().setStartKey(start).setEndKey(end).setItrExhausted(true)
                    .setRawReads(QueryReads.newBuilder().addAllKvReads(List.of(reads))));
            return this;
        }

        String computedTxId() {
            return txId != null ? txId
                    : HexFormat.of().formatHex(sha256(ByteString.copyFrom(nonce).concat(serialized(creator)).toByteArray()));
        }

        Envelope build() {
            ByteString creatorBytes = serialized(creator);
            ByteString chdr = ChannelHeader.newBuilder()
                    .setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                    .setChannelId(channel)
                    .setTxId(computedTxId())
                    .setTimestamp(Timestamp.newBuilder().setSeconds(seconds))
                    .setExtension(ChaincodeHeaderExtension.newBuilder()
                            .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode)).build().toByteString())
                    .build().toByteString();
            ByteString shdr = SignatureHeader.newBuilder().setCreator(creatorBytes)
                    .setNonce(ByteString.copyFrom(nonce)).build().toByteString();
            ByteString ccpp = ChaincodeProposalPayload.newBuilder()
                    .setInput(ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                            .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode))
                            .setInput(ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("invoke")))).build().toByteString())
                    .build().toByteString();
            byte[] proposalHash = sha256(chdr.concat(shdr).concat(ccpp).toByteArray());
            ByteString results = TxReadWriteSet.newBuilder()
                    .setDataModel(TxReadWriteSet.DataModel.KV)
                    .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(chaincode).setRwset(rwset.build().toByteString()))
                    .build().toByteString();
            ByteString prp = ProposalResponsePayload.newBuilder()
                    .setProposalHash(ByteString.copyFrom(proposalHash))
                    .setExtension(ChaincodeAction.newBuilder()
                            .setResults(results)
                            .setResponse(Response.newBuilder().setStatus(200))
                            .setChaincodeId(ChaincodeID.newBuilder().setName(chaincode).setVersion("1.0"))
                            .build().toByteString())
                    .build().toByteString();
            ChaincodeEndorsedAction.Builder action = ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(prp);
            for (FabricIdentity peer : endorsers) {
                ByteString endorser = serialized(peer);
                ByteString signature = sign(peer, prp.concat(endorser));
                if (tamperEndorsement) {
                    signature = sign(peer, prp.concat(endorser).concat(ByteString.copyFromUtf8("x")));
                }
                action.addEndorsements(Endorsement.newBuilder().setEndorser(endorser).setSignature(signature));
            }
            ByteString tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                    .setHeader(shdr)
                    .setPayload(ChaincodeActionPayload.newBuilder().setChaincodeProposalPayload(ccpp).setAction(action)
                            .build().toByteString()))
                    .build().toByteString();
            ByteString payload = Payload.newBuilder()
                    .setHeader(Header.newBuilder().setChannelHeader(chdr).setSignatureHeader(shdr))
                    .setData(tx).build().toByteString();
            ByteString signature = sign(creator, tamperEnvelope ? payload.concat(ByteString.copyFromUtf8("x")) : payload);
            return Envelope.newBuilder().setPayload(payload).setSignature(signature).build();
        }
    }
}
