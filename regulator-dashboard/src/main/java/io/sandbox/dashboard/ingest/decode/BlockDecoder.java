package io.sandbox.dashboard.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.block.BlockHashes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.x500.X500Principal;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Turns a Fabric {@link Block} into rows: pure, thread-safe, and total — malformed data never throws; what can be read
 * is kept and the rest is named in {@link DecodedTransaction#decodeError()}.
 *
 * <p>Argument values may be personal data, so they are never kept: with an argument key, each argument after the
 * function name becomes its HMAC-SHA256 (equal values stay comparable, values cannot be guessed without the key);
 * without one, arguments are omitted.
 */
public final class BlockDecoder {

    /** The reporting schema's event name and schema id. */
    public static final String REPORTING_EVENT = "sandbox.v1";
    public static final String REPORTING_SCHEMA = "sandbox.reporting/1";

    private static final HexFormat HEX = HexFormat.of();
    private static final int SUBJECT_CACHE_LIMIT = 4096;

    private final SecretKeySpec argumentKey;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<ByteString, String> subjects = new ConcurrentHashMap<>();

    /** A decoder; {@code argumentKey} keys the argument digests, or is {@code null} to omit arguments. */
    public BlockDecoder(byte[] argumentKey) {
        this.argumentKey = argumentKey == null || argumentKey.length == 0 ? null
                : new SecretKeySpec(argumentKey.clone(), "HmacSHA256");
    }

    /** Decodes one block of {@code channel}. */
    public DecodedBlock decode(String channel, Block block) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(block, "block");
        byte[] dataHash = block.getHeader().getDataHash().toByteArray();
        boolean dataMatches = Arrays.equals(BlockHashes.dataHash(block.getData()), dataHash);
        ByteString filter = block.getMetadata().getMetadataCount() > BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
                ? block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) : ByteString.EMPTY;
        Mac mac = newMac();
        List<DecodedTransaction> transactions = new ArrayList<>(block.getData().getDataCount());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            String code = i < filter.size() ? validationCode(filter.byteAt(i) & 0xff) : null;
            transactions.add(new TransactionReader(i, code, mac).read(block.getData().getData(i)));
        }
        return new DecodedBlock(channel, block.getHeader().getNumber(), BlockHashes.headerHash(block.getHeader()),
                block.getHeader().getPreviousHash().toByteArray(), dataHash, dataMatches, transactions);
    }

    private static String validationCode(int code) {
        TxValidationCode known = TxValidationCode.forNumber(code);
        return known == null ? "UNKNOWN_" + code : known.name();
    }

    private Mac newMac() {
        if (argumentKey == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(argumentKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** The fields of one envelope, filled in as far as decoding gets. */
    private final class TransactionReader {
        private final int index;
        private final String validationCode;
        private final Mac mac;
        private final List<String> errors = new ArrayList<>(1);
        private String txId;
        private Instant timestamp;
        private String headerType;
        private String creatorMsp;
        private String creatorSubject;
        private final List<String> endorsers = new ArrayList<>(2);
        private String chaincode;
        private String function;
        private final Map<String, List<String>> reads = new LinkedHashMap<>();
        private final Map<String, List<String>> writes = new LinkedHashMap<>();
        private String eventName;
        private String reportingEvents;
        private List<String> argDigests;

        TransactionReader(int index, String validationCode, Mac mac) {
            this.index = index;
            this.validationCode = validationCode;
            this.mac = mac;
            if (validationCode == null) {
                errors.add("no validation code in the block's TRANSACTIONS_FILTER metadata");
            }
        }

        DecodedTransaction read(ByteString envelopeBytes) {
            try {
                envelope(envelopeBytes);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            return new DecodedTransaction(index, txId, timestamp, headerType, creatorMsp, creatorSubject,
                    endorsers.isEmpty() ? null : List.copyOf(endorsers), chaincode, function,
                    reads.isEmpty() ? null : reads, writes.isEmpty() ? null : writes, validationCode, eventName,
                    reportingEvents, argDigests, errors.isEmpty() ? null : clean(String.join("; ", errors)));
        }

        private void envelope(ByteString bytes) throws InvalidProtocolBufferException {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(bytes).getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            txId = clean(header.getTxId());
            if (header.hasTimestamp()) {
                timestamp = Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos());
            }
            HeaderType type = HeaderType.forNumber(header.getType());
            headerType = type == null ? "UNKNOWN_" + header.getType() : type.name();
            creator(SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader()).getCreator());
            if (type == HeaderType.ENDORSER_TRANSACTION) {
                for (TransactionAction action : Transaction.parseFrom(payload.getData()).getActionsList()) {
                    action(ChaincodeActionPayload.parseFrom(action.getPayload()));
                }
            }
        }

        private void creator(ByteString bytes) throws InvalidProtocolBufferException {
            if (bytes.isEmpty()) {
                return;
            }
            SerializedIdentity identity = SerializedIdentity.parseFrom(bytes);
            creatorMsp = clean(identity.getMspid());
            creatorSubject = subject(identity.getIdBytes());
        }

        private void action(ChaincodeActionPayload payload) throws InvalidProtocolBufferException {
            ChaincodeProposalPayload proposal = ChaincodeProposalPayload.parseFrom(payload.getChaincodeProposalPayload());
            var spec = ChaincodeInvocationSpec.parseFrom(proposal.getInput()).getChaincodeSpec();
            if (chaincode == null) {
                chaincode = clean(spec.getChaincodeId().getName());
                List<ByteString> args = spec.getInput().getArgsList();
                if (!args.isEmpty()) {
                    function = clean(args.get(0).toStringUtf8());
                    argDigests = digests(args.subList(1, args.size()));
                }
            }
            for (Endorsement endorsement : payload.getAction().getEndorsementsList()) {
                endorsers.add(clean(SerializedIdentity.parseFrom(endorsement.getEndorser()).getMspid()));
            }
            ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                    payload.getAction().getProposalResponsePayload());
            ChaincodeAction result = ChaincodeAction.parseFrom(response.getExtension());
            if (chaincode == null || chaincode.isEmpty()) {
                chaincode = clean(result.getChaincodeId().getName());
            }
            for (NsReadWriteSet ns : TxReadWriteSet.parseFrom(result.getResults()).getNsRwsetList()) {
                KVRWSet kv = KVRWSet.parseFrom(ns.getRwset());
                String namespace = clean(ns.getNamespace());
                for (KVRead read : kv.getReadsList()) {
                    reads.computeIfAbsent(namespace, k -> new ArrayList<>()).add(clean(read.getKey()));
                }
                for (KVWrite write : kv.getWritesList()) {
                    writes.computeIfAbsent(namespace, k -> new ArrayList<>()).add(clean(write.getKey()));
                }
            }
            if (!result.getEvents().isEmpty()) {
                event(ChaincodeEvent.parseFrom(result.getEvents()));
            }
        }

        private void event(ChaincodeEvent event) {
            eventName = clean(event.getEventName());
            if (event.getPayload().isEmpty()) {
                return;
            }
            String text = event.getPayload().toStringUtf8();
            try {
                JsonNode node = json.readTree(text);
                if (node != null && node.isObject() && REPORTING_SCHEMA.equals(node.path("schema").asText(null))) {
                    if (text.indexOf('\u0000') >= 0 || text.contains("\\u0000")) {
                        errors.add("reporting event contains U+0000, which cannot be stored");
                    } else {
                        reportingEvents = "[" + text + "]";
                    }
                } else if (REPORTING_EVENT.equals(eventName)) {
                    errors.add("event " + REPORTING_EVENT + " is not a " + REPORTING_SCHEMA + " object");
                }
            } catch (java.io.IOException e) {
                if (REPORTING_EVENT.equals(eventName)) {
                    errors.add("event " + REPORTING_EVENT + " payload is not JSON");
                }
            }
        }

        private List<String> digests(List<ByteString> args) {
            if (mac == null) {
                return null;
            }
            List<String> out = new ArrayList<>(args.size());
            for (ByteString arg : args) {
                mac.update(arg.asReadOnlyByteBuffer());
                out.add(HEX.formatHex(mac.doFinal()));
            }
            return out;
        }

        private String subject(ByteString pem) {
            String known = subjects.get(pem);
            if (known != null) {
                return known;
            }
            try {
                X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(pem.toByteArray()));
                String subject = clean(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
                if (subjects.size() >= SUBJECT_CACHE_LIMIT) {
                    subjects.clear();
                }
                subjects.put(pem, subject);
                return subject;
            } catch (GeneralSecurityException | RuntimeException e) {
                errors.add("creator certificate unreadable");
                return null;
            }
        }
    }

    /** PostgreSQL text cannot hold U+0000 (composite keys use it as separator): it is written as U+2400. */
    static String clean(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\u2400');
    }

    /** The lower-case hex of some bytes. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
