package io.sandbox.devnet.peer.validation;

import static io.sandbox.devnet.peer.validation.TxFixtures.CC;
import static io.sandbox.devnet.peer.validation.TxFixtures.REGULATOR;
import static io.sandbox.devnet.peer.validation.TxFixtures.STARTUP;
import static io.sandbox.devnet.peer.validation.TxFixtures.block;
import static io.sandbox.devnet.peer.validation.TxFixtures.tx;
import static io.sandbox.devnet.peer.validation.TxFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.sandbox.core.fabric.identity.FabricIdentity;
import io.sandbox.core.fabric.identity.OrganisationMaterial;
import io.sandbox.core.fabric.identity.OrganisationSpec;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.devnet.peer.state.KeyModification;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.Version;
import io.sandbox.devnet.peer.state.WorldState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BlockCommitterTest {

    static final Block GENESIS = TxFixtures.genesis();
    static final FabricIdentity REGULATOR_PEER = REGULATOR.peers().get(0);
    static final FabricIdentity STARTUP_PEER = STARTUP.peers().get(0);

    final List<Block> stored = new ArrayList<>();
    WorldState state;
    BlockCommitter committer;

    @BeforeEach
    void channel() {
        state = new WorldState(TxFixtures.CHANNEL);
        committer = new BlockCommitter(state, ChannelPolicies.fromConfigBlock(GENESIS),
                EndorsementPolicies.channelDefault(), stored::add);
        committer.commit(GENESIS);
    }

    Block last() {
        return stored.getLast();
    }

    BlockCommitter.Committed commit(Envelope... envelopes) {
        return committer.commit(block(last(), envelopes));
    }

    List<TxValidationCode> codes(Envelope... envelopes) {
        return commit(envelopes).validation().codes();
    }

    @Test
    void properlyEndorsedTransactionIsValidAndItsWritesAreVersioned() {
        BlockCommitter.Committed c = commit(tx().write("a", "1").build(), tx().write("b", "2").build());

        assertThat(c.validation().codes()).containsExactly(TxValidationCode.VALID, TxValidationCode.VALID);
        assertThat(c.block().getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray())
                .containsExactly(0, 0);
        assertThat(c.block().getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(state.height()).isEqualTo(2);
        assertThat(state.get(CC, "a").orElseThrow().value().toStringUtf8()).isEqualTo("1");
        assertThat(state.get(CC, "a").orElseThrow().version()).isEqualTo(new Version(1, 0));
        assertThat(state.get(CC, "b").orElseThrow().version()).isEqualTo(new Version(1, 1));
        assertThat(stored).hasSize(2);

        // Update and delete, read at the committed version.
        Envelope update = tx().read("a", version(1, 0)).write("a", "10").delete("b").build();
        assertThat(codes(update)).containsExactly(TxValidationCode.VALID);
        assertThat(state.get(CC, "a").orElseThrow().version()).isEqualTo(new Version(2, 0));
        assertThat(state.get(CC, "b")).isEmpty();
        List<KeyModification> history = state.history(CC, "b");
        assertThat(history).extracting(KeyModification::isDelete).containsExactly(true, false);
        assertThat(history.get(1).value().toStringUtf8()).isEqualTo("2");
        assertThat(history).extracting(KeyModification::version).containsExactly(new Version(2, 0), new Version(1, 1));
        assertThat(state.transaction(txId(update)).orElseThrow().blockNum()).isEqualTo(2);
    }

    @Test
    void secondOfTwoConflictingTransactionsInOneBlockIsAnMvccConflict() {
        commit(tx().write("k", "0").build());
        assertThat(codes(
                tx().read("k", version(1, 0)).write("k", "first").build(),
                tx().read("k", version(1, 0)).write("k", "second").build()))
                .containsExactly(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(state.get(CC, "k").orElseThrow().value().toStringUtf8()).isEqualTo("first");
        assertThat(state.get(CC, "k").orElseThrow().version()).isEqualTo(new Version(2, 0));

        // A stale read against committed state, and a read of a missing key that now exists.
        assertThat(codes(tx().read("k", version(1, 0)).write("x", "1").build(),
                tx().read("k", null).write("y", "1").build(),
                tx().read("absent", null).write("z", "1").build()))
                .containsExactly(TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.MVCC_READ_CONFLICT,
                        TxValidationCode.VALID);
    }

    @Test
    void rangeQueriesDetectPhantoms() {
        commit(tx().write("r1", "1").write("r3", "3").build());
        KVRead r1 = KVRead.newBuilder().setKey("r1").setVersion(version(1, 0)).build();
        KVRead r3 = KVRead.newBuilder().setKey("r3").setVersion(version(1, 0)).build();
        assertThat(codes(
                tx().range("r", "s", r1, r3).write("sum", "4").build(),
                tx().write("r2", "2").build(),
                tx().range("r", "s", r1, r3).write("sum", "4").build()))
                .containsExactly(TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.PHANTOM_READ_CONFLICT);
        assertThat(codes(tx().range("r", "s", r1, r3).build()))
                .containsExactly(TxValidationCode.PHANTOM_READ_CONFLICT);
    }

    @Test
    void endorsementByOneOrgOfTwoFailsTheMajorityPolicy() {
        assertThat(codes(
                tx().endorsers(STARTUP_PEER).write("a", "1").build(),
                tx().endorsers(REGULATOR_PEER).write("a", "1").build(),
                tx().endorsers(STARTUP_PEER, STARTUP_PEER).write("a", "1").build(),
                tx().endorsers().write("a", "1").build(),
                // A client is not a peer: Endorsement needs each org's peer role.
                tx().endorsers(STARTUP.user(), REGULATOR.user()).write("a", "1").build()))
                .containsOnly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(state.get(CC, "a")).isEmpty();
    }

    @Test
    void tamperedEndorsementSignatureFailsThePolicy() {
        BlockCommitter.Committed c = commit(tx().tamperEndorsement().write("a", "1").build());
        assertThat(c.validation().codes()).containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(c.validation().reasons().getFirst()).contains("/Channel/Application/Endorsement");
    }

    @Test
    void undefinedChaincodeIsInvalidChaincode() {
        committer = new BlockCommitter(state, committer.policies(), ns -> java.util.Optional.empty(), stored::add);
        assertThat(codes(tx().write("a", "1").build())).containsExactly(TxValidationCode.INVALID_CHAINCODE);
    }

    @Test
    void sameTxIdTwiceIsADuplicate() {
        byte[] nonce = new byte[24];
        Envelope first = tx().nonce(nonce).write("a", "1").build();
        Envelope again = tx().nonce(nonce).write("a", "2").build();
        assertThat(txId(first)).isEqualTo(txId(again));
        assertThat(codes(first, again)).containsExactly(TxValidationCode.VALID, TxValidationCode.DUPLICATE_TXID);
        assertThat(state.get(CC, "a").orElseThrow().value().toStringUtf8()).isEqualTo("1");

        // Against the ledger, in a later block.
        assertThat(codes(tx().nonce(nonce).write("a", "3").build())).containsExactly(TxValidationCode.DUPLICATE_TXID);

        // An invalid tx's id is still taken (Fabric indexes every txid), and an invalid first occurrence in the
        // block does not make a later valid one a duplicate.
        byte[] other = new byte[24];
        other[0] = 1;
        assertThat(codes(tx().nonce(other).endorsers(STARTUP_PEER).write("c", "1").build(),
                tx().nonce(other).write("c", "2").build()))
                .containsExactly(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.VALID);
        byte[] third = new byte[24];
        third[0] = 2;
        assertThat(codes(tx().nonce(third).endorsers(STARTUP_PEER).write("d", "1").build())).containsExactly(
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(codes(tx().nonce(third).write("d", "1").build())).containsExactly(TxValidationCode.DUPLICATE_TXID);
        assertThat(state.transaction(txId(tx().nonce(third).build())).orElseThrow().validationCode())
                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
    }

    @Test
    void creatorFromAForeignCaIsABadCreatorSignature() {
        OrganisationMaterial impostor = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("StartupMSP", "startup.sandbox.test", "peer0"));
        OrganisationMaterial outsider = OrganisationMaterial.generate(
                OrganisationSpec.peerOrganisation("OutsiderMSP", "outsider.sandbox.test", "peer0"));
        BlockCommitter.Committed c = commit(
                tx().creator(impostor.user()).write("a", "1").build(),
                tx().creator(outsider.user()).write("a", "1").build(),
                tx().tamperEnvelope().write("a", "1").build(),
                tx().channel("another-channel").write("a", "1").build());
        assertThat(c.validation().codes()).containsOnly(TxValidationCode.BAD_CREATOR_SIGNATURE);
        assertThat(c.validation().reasons().getFirst()).contains("is not issued by a CA of MSP \"StartupMSP\"");
    }

    @Test
    void malformedTransactions() {
        Envelope good = tx().write("a", "1").build();
        Payload payload = parsePayload(good);
        ChannelHeader chdr = parse(payload.getHeader().getChannelHeader());

        Envelope badTxId = tx().txId("00".repeat(32)).write("a", "1").build();
        Envelope garbage = Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("\u0001garbage")).build();
        Envelope noHeader = resign(payload.toBuilder().clearHeader().build());
        Envelope unknownType = resign(payload.toBuilder().setHeader(payload.getHeader().toBuilder()
                .setChannelHeader(chdr.toBuilder().setType(42).build().toByteString())).build());
        Envelope epoch = resign(payload.toBuilder().setHeader(payload.getHeader().toBuilder()
                .setChannelHeader(chdr.toBuilder().setEpoch(1).build().toByteString())).build());
        Envelope configUpdate = resign(payload.toBuilder().setHeader(payload.getHeader().toBuilder()
                .setChannelHeader(chdr.toBuilder().setType(2).build().toByteString())).build());
        Envelope noNonce = resign(payload.toBuilder().setHeader(Header.newBuilder()
                .setChannelHeader(payload.getHeader().getChannelHeader())
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(TxFixtures.serialized(STARTUP.user()))
                        .build().toByteString())).build());
        Envelope notATransaction = resign(payload.toBuilder().setData(ByteString.copyFromUtf8("\u0001x")).build());

        assertThat(codes(badTxId, garbage, noHeader, unknownType, epoch, configUpdate, noNonce, notATransaction,
                Envelope.getDefaultInstance()))
                .containsExactly(TxValidationCode.BAD_PROPOSAL_TXID, TxValidationCode.BAD_PAYLOAD,
                        TxValidationCode.BAD_COMMON_HEADER, TxValidationCode.BAD_COMMON_HEADER,
                        TxValidationCode.BAD_COMMON_HEADER, TxValidationCode.UNSUPPORTED_TX_PAYLOAD,
                        TxValidationCode.BAD_COMMON_HEADER, TxValidationCode.INVALID_ENDORSER_TRANSACTION,
                        TxValidationCode.BAD_COMMON_HEADER);
        assertThat(state.get(CC, "a")).isEmpty();
    }

    @Test
    void replayingTheStoredBlocksRebuildsTheSameState() {
        commit(tx().write("a", "1").write("b", "1").metadata("b", "VALIDATION_PARAMETER", "p").build(),
                tx().write("\u0000asset\u0000x\u0000", "c").build());
        commit(tx().read("a", version(1, 0)).write("a", "2").build(),
                tx().read("a", version(1, 0)).write("a", "lost").build(),
                tx().delete("b").build());
        commit(tx().write("b", "again").build(), tx().endorsers(STARTUP_PEER).write("z", "no").build());

        WorldState rebuilt = WorldState.rebuild(TxFixtures.CHANNEL, stored);

        assertThat(rebuilt.height()).isEqualTo(state.height()).isEqualTo(4);
        assertThat(rebuilt.range(CC, "", "")).isEqualTo(state.range(CC, "", ""))
                .extracting(KeyValue::key).containsExactly("\u0000asset\u0000x\u0000", "a", "b");
        for (String key : List.of("a", "b", "z", "\u0000asset\u0000x\u0000")) {
            assertThat(rebuilt.history(CC, key)).isEqualTo(state.history(CC, key));
        }
        assertThat(rebuilt.history(CC, "a")).extracting(m -> m.value().toStringUtf8()).containsExactly("2", "1");
        assertThat(rebuilt.history(CC, "b")).extracting(KeyModification::isDelete).containsExactly(false, true, false);
        for (Block b : stored) {
            for (ByteString d : b.getData().getDataList()) {
                String txId = txIdOrEmpty(d);
                if (!txId.isEmpty()) {
                    assertThat(rebuilt.transaction(txId)).isEqualTo(state.transaction(txId));
                }
            }
        }
        assertThat(rebuilt.metadata(CC, "b")).isEmpty();
        assertThatThrownBy(() -> rebuilt.commit(stored.get(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataIsKeptAcrossValueWritesAndDroppedByDeletes() {
        commit(tx().write("m", "1").metadata("m", "VALIDATION_PARAMETER", "p1").build());
        assertThat(state.metadata(CC, "m")).containsEntry("VALIDATION_PARAMETER", ByteString.copyFromUtf8("p1"));
        commit(tx().write("m", "2").build(), tx().metadata("nothing", "k", "v").build());
        assertThat(state.get(CC, "m").orElseThrow().metadata()).containsOnlyKeys("VALIDATION_PARAMETER");
        assertThat(state.get(CC, "nothing")).isEmpty();
        commit(tx().metadata("m", "other", "v").build());
        assertThat(state.get(CC, "m").orElseThrow().value().toStringUtf8()).isEqualTo("2");
        assertThat(state.get(CC, "m").orElseThrow().metadata()).isEqualTo(Map.of("other", ByteString.copyFromUtf8("v")));
        assertThat(state.get(CC, "m").orElseThrow().version()).isEqualTo(new Version(3, 0));
        assertThat(state.history(CC, "m")).hasSize(2);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static Payload parsePayload(Envelope e) {
        try {
            return Payload.parseFrom(e.getPayload());
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static ChannelHeader parse(ByteString chdr) {
        try {
            return ChannelHeader.parseFrom(chdr);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static Envelope resign(Payload payload) {
        return Envelope.newBuilder().setPayload(payload.toByteString())
                .setSignature(TxFixtures.sign(STARTUP.user(), payload.toByteString())).build();
    }

    static String txId(Envelope e) {
        return parse(parsePayload(e).getHeader().getChannelHeader()).getTxId();
    }

    static String txIdOrEmpty(ByteString envelope) {
        try {
            return txId(Envelope.parseFrom(envelope));
        } catch (Exception e) {
            return "";
        }
    }
}
