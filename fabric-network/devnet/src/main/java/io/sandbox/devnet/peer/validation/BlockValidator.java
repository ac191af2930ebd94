package io.sandbox.devnet.peer.validation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.channel.ConfigTxValidator;
import io.sandbox.core.fabric.channel.ConfigUpdateException;
import io.sandbox.core.fabric.identity.Ecdsa;
import io.sandbox.core.fabric.identity.NodeOuRole;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.IdentityException;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.core.fabric.policy.ValidatedIdentity;
import io.sandbox.devnet.peer.state.KeyOrder;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.NsRwSet;
import io.sandbox.devnet.peer.state.StateView;
import io.sandbox.devnet.peer.state.TxRwSets;
import io.sandbox.devnet.peer.state.UpdateBatch;
import io.sandbox.devnet.peer.state.Version;
import io.sandbox.devnet.peer.state.WorldState;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Computes the {@link TxValidationCode} of every transaction of a block as a Fabric 2.5 peer does, in its order:
 *
 * <ol>
 *   <li>{@code txvalidator/v20} per transaction: the envelope checks of {@code validation.ValidateTransaction}
 *       (payload, common header, creator identity and signature, txid derivation, endorser transaction shape and
 *       proposal hash), the ledger duplicate check ({@code TxIDExists}), then the plugin dispatcher (header
 *       extension, chaincode action, rwset, chaincode ids, events) and the built-in v20 validation plugin: the
 *       endorsement policy of the invoked chaincode and of every namespace the transaction writes, over the
 *       endorsements' signed data {@code proposal_response_payload ‖ endorser};
 *   <li>{@code markTXIdDuplicates}: a later valid transaction repeating a valid one's txid in the same block;
 *   <li>{@code kvledger} MVCC ({@code txmgmt/validation}): each still-valid endorser transaction's reads against
 *       committed state and the block's earlier valid transactions ({@code MVCC_READ_CONFLICT}), then its range
 *       queries re-executed over the same ({@code PHANTOM_READ_CONFLICT}); a valid transaction's writes then
 *       count for the next ones.
 * </ol>
 *
 * <p>Deliberate differences, all documented: a channel header naming another channel is
 * {@code BAD_CREATOR_SIGNATURE} (Fabric's {@code chainExists} is a stub returning true; the creator check then
 * fails because the peer's MSP manager of an unknown channel is empty). A CONFIG transaction is checked as
 * {@code ChannelResources.Apply} does ({@link ConfigTxValidator#validate}: next sequence, its last update
 * authorized by the current mod_policies and producing exactly the carried config); where Fabric's peer then
 * stops committing (a panic), the devnet marks it {@code INVALID_CONFIG_TRANSACTION} and keeps its config. Private data (collection hashed rwsets), key-level (state-based) endorsement
 * policies and range queries summarised as Merkle hashes are not supported (the latter are failed as
 * {@code PHANTOM_READ_CONFLICT}). Stateless and thread-safe.
 */
public final class BlockValidator {

    private static final HexFormat HEX = HexFormat.of();

    private final String channelId;
    private final EndorsementPolicies endorsementPolicies;

    /** A validator for one channel. */
    public BlockValidator(String channelId, EndorsementPolicies endorsementPolicies) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.endorsementPolicies = Objects.requireNonNull(endorsementPolicies, "endorsementPolicies");
    }

    /** Why a transaction is invalid. */
    private static final class Invalid extends Exception {
        final TxValidationCode code;

        Invalid(TxValidationCode code, String reason) {
            super(reason, null, false, false);
            this.code = code;
        }
    }

    /** A transaction that passed the first phase. */
    private record Checked(String txId, HeaderType type, List<NsRwSet> rwSets) {}

    /**
     * Validates a block against the channel's current config and committed state. The state must not change
     * meanwhile (the {@link BlockCommitter} serialises commits).
     */
    public BlockValidation validate(Block block, ChannelPolicies policies, WorldState state) {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(state, "state");
        long number = block.getHeader().getNumber();
        int count = block.getData().getDataCount();
        TxValidationCode[] codes = new TxValidationCode[count];
        String[] reasons = new String[count];
        Checked[] checked = new Checked[count];

        // Phase 1: txvalidator/v20 validateTx, the transactions in parallel as Fabric's validator goroutines (each
        // depends only on committed state and config). The endorsement policy of a namespace is looked up once per
        // block (the committed definitions cannot change while the block is validated).
        Map<String, Optional<EndorsementPolicy>> policyOf = new ConcurrentHashMap<>();
        IntStream.range(0, count).parallel().forEach(i -> {
            try {
                checked[i] = validateTx(block.getData().getData(i), policies, state, policyOf);
                codes[i] = TxValidationCode.VALID;
                reasons[i] = "";
            } catch (Invalid e) {
                codes[i] = e.code;
                reasons[i] = e.getMessage();
            }
        });

        // Phase 2: markTXIdDuplicates over the valid endorser transactions.
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (codes[i] != TxValidationCode.VALID || checked[i].txId().isEmpty()) {
                continue;
            }
            if (!seen.add(checked[i].txId())) {
                codes[i] = TxValidationCode.DUPLICATE_TXID;
                reasons[i] = "txid " + checked[i].txId() + " repeats an earlier transaction of block " + number;
            }
        }

        // Phase 3: MVCC and phantom read validation, in block order.
        UpdateBatch batch = new UpdateBatch(state);
        boolean configValid = false;
        for (int i = 0; i < count; i++) {
            if (codes[i] != TxValidationCode.VALID) {
                continue;
            }
            if (checked[i].type() == HeaderType.CONFIG) {
                configValid = true;
                continue;
            }
            String conflict = mvcc(checked[i].rwSets(), state, batch, codes, i);
            if (conflict != null) {
                reasons[i] = conflict;
                continue;
            }
            batch.addTransaction(checked[i].rwSets(), new Version(number, i));
        }
        return new BlockValidation(number, Arrays.asList(codes), Arrays.asList(reasons), configValid);
    }

    // ---- phase 1 ------------------------------------------------------------------------------------------

    private Checked validateTx(ByteString data, ChannelPolicies policies, WorldState state,
            Map<String, Optional<EndorsementPolicy>> policyOf) throws Invalid {
        Envelope env;
        try {
            env = Envelope.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.INVALID_OTHER_REASON, "not an Envelope: " + e.getMessage());
        }
        // validation.ValidateTransaction
        Payload payload;
        try {
            payload = Payload.parseFrom(env.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.BAD_PAYLOAD, "not a Payload: " + e.getMessage());
        }
        ChannelHeader chdr;
        SignatureHeader shdr;
        if (!payload.hasHeader()) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "nil header");
        }
        try {
            chdr = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            shdr = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "malformed header: " + e.getMessage());
        }
        int type = chdr.getType();
        if (type != HeaderType.ENDORSER_TRANSACTION_VALUE && type != HeaderType.CONFIG_UPDATE_VALUE
                && type != HeaderType.CONFIG_VALUE) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "invalid header type " + type);
        }
        if (chdr.getEpoch() != 0) {
            throw new Invalid(TxValidationCode.BAD_COMMON_HEADER, "invalid epoch " + chdr.getEpoch() + ", must be 0");
        }
        checkSignatureHeader(shdr, TxValidationCode.BAD_COMMON_HEADER);
        checkCreatorSignature(shdr.getCreator(), env, chdr.getChannelId(), policies);

        if (type == HeaderType.CONFIG_VALUE) {
            if (payload.getData().isEmpty()) {
                throw new Invalid(TxValidationCode.INVALID_CONFIG_TRANSACTION, "nil config payload");
            }
            ConfigEnvelope configEnvelope;
            try {
                configEnvelope = ConfigEnvelope.parseFrom(payload.getData());
            } catch (InvalidProtocolBufferException e) {
                throw new Invalid(TxValidationCode.INVALID_CONFIG_TRANSACTION, "not a ConfigEnvelope: " + e.getMessage());
            }
            // ChannelResources.Apply: configtx Validate (sequence + 1, last_update authorized by the current
            // mod_policies and producing exactly this config), then the new config must be usable
            try {
                new ConfigTxValidator(channelId, policies).validate(configEnvelope);
                ChannelPolicies.fromConfig(channelId, configEnvelope.getConfig());
            } catch (ConfigUpdateException | IllegalArgumentException e) {
                throw new Invalid(TxValidationCode.INVALID_CONFIG_TRANSACTION,
                        "error validating config which passed initial validity checks: " + e.getMessage());
            }
            return new Checked("", HeaderType.CONFIG, List.of());
        }
        if (type != HeaderType.ENDORSER_TRANSACTION_VALUE) {
            throw new Invalid(TxValidationCode.UNSUPPORTED_TX_PAYLOAD, "unsupported transaction type " + type);
        }
        String expected = HEX.formatHex(sha256(shdr.getNonce().concat(shdr.getCreator())));
        if (!expected.equals(chdr.getTxId())) {
            throw new Invalid(TxValidationCode.BAD_PROPOSAL_TXID, "invalid txid " + chdr.getTxId()
                    + ": SHA-256 of nonce and creator is " + expected);
        }
        ChaincodeActionPayload cap = validateEndorserTransaction(payload);

        // txvalidator: checkTxIdDupsLedger
        if (state.txIdExists(chdr.getTxId())) {
            throw new Invalid(TxValidationCode.DUPLICATE_TXID, "txid " + chdr.getTxId() + " was already committed in block "
                    + state.transaction(chdr.getTxId()).orElseThrow().blockNum());
        }
        List<NsRwSet> rwSets = dispatch(chdr, cap, policies, policyOf);
        return new Checked(chdr.getTxId(), HeaderType.ENDORSER_TRANSACTION, rwSets);
    }

    private static void checkSignatureHeader(SignatureHeader shdr, TxValidationCode code) throws Invalid {
        if (shdr.getNonce().isEmpty()) {
            throw new Invalid(code, "invalid nonce specified in the header");
        }
        if (shdr.getCreator().isEmpty()) {
            throw new Invalid(code, "invalid creator specified in the header");
        }
    }

    /** checkSignatureFromCreator: deserialize with the channel's MSPs, validate, verify. */
    private void checkCreatorSignature(ByteString creator, Envelope env, String txChannel, ChannelPolicies policies)
            throws Invalid {
        if (!channelId.equals(txChannel)) {
            throw new Invalid(TxValidationCode.BAD_CREATOR_SIGNATURE, "transaction is for channel \"" + txChannel
                    + "\", this is channel \"" + channelId + "\": no MSP of that channel can deserialize the creator");
        }
        if (env.getSignature().isEmpty() || env.getPayload().isEmpty()) {
            throw new Invalid(TxValidationCode.BAD_CREATOR_SIGNATURE, "nil arguments");
        }
        ValidatedIdentity identity;
        try {
            identity = policies.validate(creator);
        } catch (IdentityException e) {
            throw new Invalid(TxValidationCode.BAD_CREATOR_SIGNATURE, "creator certificate is not valid: " + e.getMessage());
        }
        String problem = Signatures.verify(identity.certificate(), env.getPayload().toByteArray(),
                env.getSignature().toByteArray());
        if (problem != null) {
            throw new Invalid(TxValidationCode.BAD_CREATOR_SIGNATURE,
                    "creator's signature over the proposal is not valid: " + problem);
        }
    }

    /** validateEndorserTransaction: one action, its signature header, the proposal hash. */
    private static ChaincodeActionPayload validateEndorserTransaction(Payload payload) throws Invalid {
        TxValidationCode code = TxValidationCode.INVALID_ENDORSER_TRANSACTION;
        try {
            if (payload.getData().isEmpty()) {
                throw new Invalid(code, "nil arguments");
            }
            Transaction tx = Transaction.parseFrom(payload.getData());
            if (tx.getActionsCount() != 1) {
                throw new Invalid(code, "only one action per transaction is supported, tx contains " + tx.getActionsCount());
            }
            TransactionAction act = tx.getActions(0);
            checkSignatureHeader(SignatureHeader.parseFrom(act.getHeader()), code);
            ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(act.getPayload());
            if (!cap.hasAction()) {
                throw new Invalid(code, "nil chaincode endorsed action");
            }
            ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(cap.getAction().getProposalResponsePayload());
            // protoutil.GetProposalHash2: SHA-256(channel header ‖ action signature header ‖ proposal payload)
            byte[] hash = sha256(payload.getHeader().getChannelHeader()
                    .concat(act.getHeader())
                    .concat(cap.getChaincodeProposalPayload()));
            if (!Arrays.equals(hash, prp.getProposalHash().toByteArray())) {
                throw new Invalid(code, "proposal hash does not match");
            }
            return cap;
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(code, e.getMessage());
        }
    }

    /** plugindispatcher.Dispatch and the built-in v20 validation plugin. */
    private List<NsRwSet> dispatch(ChannelHeader chdr, ChaincodeActionPayload cap, ChannelPolicies policies,
            Map<String, Optional<EndorsementPolicy>> policyOf) throws Invalid {
        ChaincodeHeaderExtension hdrExt;
        try {
            hdrExt = ChaincodeHeaderExtension.parseFrom(chdr.getExtension());
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.BAD_HEADER_EXTENSION, e.getMessage());
        }
        ByteString prpBytes = cap.getAction().getProposalResponsePayload();
        ChaincodeAction action;
        try {
            action = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(prpBytes).getExtension());
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.BAD_RESPONSE_PAYLOAD, "GetActionFromEnvelope failed: " + e.getMessage());
        }
        List<NsRwSet> rwSets;
        try {
            rwSets = TxRwSets.parse(action.getResults());
        } catch (InvalidProtocolBufferException e) {
            throw new Invalid(TxValidationCode.BAD_RWSET, "txRWSet.FromProtoBytes failed: " + e.getMessage());
        }
        if (!hdrExt.hasChaincodeId()) {
            throw new Invalid(TxValidationCode.INVALID_OTHER_REASON, "nil ChaincodeId in header extension");
        }
        if (!action.hasChaincodeId()) {
            throw new Invalid(TxValidationCode.INVALID_OTHER_REASON, "nil ChaincodeId in ChaincodeAction");
        }
        String ccId = hdrExt.getChaincodeId().getName();
        if (ccId.isEmpty()) {
            throw new Invalid(TxValidationCode.INVALID_CHAINCODE, "invalid chaincode ID");
        }
        if (!ccId.equals(action.getChaincodeId().getName())) {
            throw new Invalid(TxValidationCode.INVALID_CHAINCODE, "inconsistent ccid info (" + ccId + "/"
                    + action.getChaincodeId().getName() + ")");
        }
        if (action.getChaincodeId().getVersion().isEmpty()) {
            throw new Invalid(TxValidationCode.INVALID_CHAINCODE, "invalid chaincode version");
        }
        if (!action.getEvents().isEmpty()) {
            try {
                if (!ChaincodeEvent.parseFrom(action.getEvents()).getChaincodeId().equals(ccId)) {
                    throw new Invalid(TxValidationCode.INVALID_OTHER_REASON,
                            "chaincode event chaincode id does not match chaincode action chaincode id");
                }
            } catch (InvalidProtocolBufferException e) {
                throw new Invalid(TxValidationCode.INVALID_OTHER_REASON, "invalid chaincode event: " + e.getMessage());
            }
        }
        Set<String> writtenNamespaces = new LinkedHashSet<>();
        writtenNamespaces.add(ccId);
        Set<String> namespaces = new HashSet<>();
        for (NsRwSet ns : rwSets) {
            if (!namespaces.add(ns.namespace())) {
                throw new Invalid(TxValidationCode.ILLEGAL_WRITESET, "duplicate namespace '" + ns.namespace() + "' in txRWSet");
            }
            if (ns.writes()) {
                writtenNamespaces.add(ns.namespace());
            }
        }
        // builtin/v20: the signature set over prp ‖ endorser, evaluated per namespace.
        List<SignedData> signatureSet = new ArrayList<>(cap.getAction().getEndorsementsCount());
        for (Endorsement e : cap.getAction().getEndorsementsList()) {
            signatureSet.add(new SignedData(prpBytes.concat(e.getEndorser()), e.getEndorser(), e.getSignature()));
        }
        for (String ns : writtenNamespaces) {
            String approvingOrg = "_lifecycle".equals(ns) ? approvalsOnly(rwSets) : null;
            if (approvingOrg != null) {
                // devnet: approvals are public keys standing in for Fabric's implicit collection of the org,
                // whose writes Fabric validates with that org's membership, not LifecycleEndorsement
                if (!endorsedByMember(approvingOrg, signatureSet, policies)) {
                    throw new Invalid(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, "approval of " + approvingOrg
                            + " is not endorsed by a peer of " + approvingOrg);
                }
                continue;
            }
            Optional<EndorsementPolicy> policy = policyOf.computeIfAbsent(ns, endorsementPolicies::forNamespace);
            if (policy.isEmpty()) {
                throw new Invalid(TxValidationCode.INVALID_CHAINCODE, "chaincode " + ns + " is not defined on channel " + channelId);
            }
            PolicyResult result = policy.get().evaluate(policies, signatureSet);
            if (!result.satisfied()) {
                throw new Invalid(TxValidationCode.ENDORSEMENT_POLICY_FAILURE, "endorsement policy of namespace " + ns
                        + " (" + policy.get() + ") not satisfied: " + result.explanation());
            }
        }
        return rwSets;
    }

    /** The MSP id when the {@code _lifecycle} writes are all {@code approvals/<MSPID>/...} of one org, else null. */
    private static String approvalsOnly(List<NsRwSet> rwSets) {
        String org = null;
        for (NsRwSet ns : rwSets) {
            if (!"_lifecycle".equals(ns.namespace())) {
                continue;
            }
            var kv = ns.kvRwSet();
            if (kv.getMetadataWritesCount() > 0 || kv.getWritesCount() == 0) {
                return null;
            }
            for (var w : kv.getWritesList()) {
                String key = w.getKey();
                if (!key.startsWith("approvals/")) {
                    return null;
                }
                int slash = key.indexOf('/', "approvals/".length());
                if (slash < 0) {
                    return null;
                }
                String msp = key.substring("approvals/".length(), slash);
                if (org != null && !org.equals(msp)) {
                    return null;
                }
                org = msp;
            }
        }
        return org;
    }

    /**
     * One endorsement by a valid peer of {@code mspId} whose signature verifies: the devnet's stand-in for the
     * endorsement policy of Fabric's implicit org collection (the org's peers). Unlike the policy engine, this
     * check does not refuse high-S signatures.
     */
    private static boolean endorsedByMember(String mspId, List<SignedData> signatureSet, ChannelPolicies policies) {
        for (SignedData sd : signatureSet) {
            try {
                var identity = policies.validate(sd.identity());
                if (!identity.mspId().equals(mspId)
                        || !identity.roles().contains(NodeOuRole.PEER)) {
                    continue;
                }
                Signature verifier = Ecdsa.verifier("SHA256withECDSA",
                        identity.certificate().getPublicKey());
                verifier.update(sd.data().toByteArray());
                if (verifier.verify(sd.signature().toByteArray())) {
                    return true;
                }
            } catch (IdentityException | GeneralSecurityException e) {
                // not a valid endorsement of this org; try the next one
            }
        }
        return false;
    }

    // ---- phase 3 ------------------------------------------------------------------------------------------

    /** txmgmt/validation validateTx: null when valid, else sets the code and returns why. */
    private static String mvcc(List<NsRwSet> rwSets, StateView state, UpdateBatch batch, TxValidationCode[] codes, int i) {
        for (NsRwSet ns : rwSets) {
            String namespace = ns.namespace();
            for (KVRead read : ns.kvRwSet().getReadsList()) {
                if (batch.exists(namespace, read.getKey())) {
                    codes[i] = TxValidationCode.MVCC_READ_CONFLICT;
                    return "key " + namespace + "/" + read.getKey() + " was updated by a prior transaction of this block";
                }
                Version readVersion = Version.ofRead(read);
                Version committed = state.version(namespace, read.getKey()).orElse(null);
                if (!Objects.equals(readVersion, committed)) {
                    codes[i] = TxValidationCode.MVCC_READ_CONFLICT;
                    return "key " + namespace + "/" + read.getKey() + " read at version " + readVersion
                            + ", committed version is " + committed;
                }
            }
            for (RangeQueryInfo rqi : ns.kvRwSet().getRangeQueriesInfoList()) {
                String phantom = validateRange(namespace, rqi, state, batch);
                if (phantom != null) {
                    codes[i] = TxValidationCode.PHANTOM_READ_CONFLICT;
                    return phantom;
                }
            }
        }
        return null;
    }

    /** validateRangeQuery with the raw-reads validator, over a combined committed + batch iterator. */
    private static String validateRange(String ns, RangeQueryInfo rqi, StateView state, UpdateBatch batch) {
        String what = "range [" + rqi.getStartKey() + ", " + rqi.getEndKey() + ") of " + ns;
        if (rqi.hasReadsMerkleHashes()) {
            return what + " was recorded as a Merkle summary, which this peer cannot validate";
        }
        boolean includeEnd = !rqi.getItrExhausted();
        String start = rqi.getStartKey();
        String end = rqi.getEndKey();
        boolean openEnd = end.isEmpty();
        TreeMap<String, Version> current = new TreeMap<>(KeyOrder.UTF8);
        for (KeyValue kv : state.range(ns, start, end)) {
            current.put(kv.key(), kv.value().version());
        }
        if (includeEnd && !openEnd) {
            state.version(ns, end).ifPresent(v -> current.put(end, v));
        }
        for (Map.Entry<String, UpdateBatch.Update> u : batch.updates(ns).entrySet()) {
            String key = u.getKey();
            boolean afterStart = start.isEmpty() || KeyOrder.compare(key, start) >= 0;
            int toEnd = openEnd ? -1 : KeyOrder.compare(key, end);
            if (!afterStart || toEnd > 0 || (toEnd == 0 && !includeEnd)) {
                continue;
            }
            if (u.getValue().isDelete()) {
                current.remove(key);
            } else {
                current.put(key, u.getValue().value().version());
            }
        }
        var results = current.entrySet().iterator();
        for (KVRead read : rqi.getRawReads().getKvReadsList()) {
            if (!results.hasNext()) {
                return what + ": key " + read.getKey() + " is gone";
            }
            var result = results.next();
            if (!result.getKey().equals(read.getKey())) {
                return what + ": found key " + result.getKey() + " where " + read.getKey() + " was read";
            }
            if (!Objects.equals(result.getValue(), Version.ofRead(read))) {
                return what + ": key " + read.getKey() + " changed from version " + Version.ofRead(read)
                        + " to " + result.getValue();
            }
        }
        if (results.hasNext()) {
            return what + ": extra key " + results.next().getKey();
        }
        return null;
    }

    private static byte[] sha256(ByteString data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
