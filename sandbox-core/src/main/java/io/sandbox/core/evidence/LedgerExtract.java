package io.sandbox.core.evidence;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Reads the transactions out of a Fabric block the way the bundle records them: the channel header's id, timestamp
 * and type, the validation code from the block's TRANSACTIONS_FILTER metadata, and the chaincode event's payload
 * when it is a {@code sandbox.reporting/1} JSON object (the last action's event, as Fabric keeps one per transaction).
 */
public final class LedgerExtract {

    /** The schema id a reporting event carries in its {@code schema} member. */
    public static final String REPORTING_SCHEMA = "sandbox.reporting/1";

    private LedgerExtract() {
    }

    /** The block's transactions in block order; an envelope that cannot be parsed yields what could be read. */
    public static List<TransactionRecord> transactions(Block block) {
        long number = block.getHeader().getNumber();
        ByteString filter = block.getMetadata().getMetadataCount() > BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
                ? block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) : ByteString.EMPTY;
        List<TransactionRecord> records = new ArrayList<>(block.getData().getDataCount());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            String code = i < filter.size() ? validationCode(filter.byteAt(i) & 0xff) : "";
            records.add(record(number, i, code, block.getData().getData(i)));
        }
        return records;
    }

    /** The name of a validation code, {@code UNKNOWN_<n>} for one Fabric does not define. */
    public static String validationCode(int code) {
        TxValidationCode known = TxValidationCode.forNumber(code);
        return known == null ? "UNKNOWN_" + code : known.name();
    }

    private static TransactionRecord record(long block, int index, String code, ByteString envelope) {
        String txId = "";
        String timestamp = "";
        String headerType = "";
        Map<String, String> event = null;
        try {
            Payload payload = Payload.parseFrom(Envelope.parseFrom(envelope).getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            txId = header.getTxId();
            if (header.hasTimestamp()) {
                timestamp = TransactionRecord.timestamp(
                        Instant.ofEpochSecond(header.getTimestamp().getSeconds(), header.getTimestamp().getNanos()));
            }
            HeaderType type = HeaderType.forNumber(header.getType());
            headerType = type == null ? "UNKNOWN_" + header.getType() : type.name();
            if (type == HeaderType.ENDORSER_TRANSACTION) {
                for (TransactionAction action : Transaction.parseFrom(payload.getData()).getActionsList()) {
                    ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(action.getPayload());
                    ChaincodeAction result = ChaincodeAction.parseFrom(ProposalResponsePayload
                            .parseFrom(actionPayload.getAction().getProposalResponsePayload()).getExtension());
                    if (!result.getEvents().isEmpty()) {
                        event = reportingEvent(ChaincodeEvent.parseFrom(result.getEvents()).getPayload());
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            // what was read so far stands; the row must match it
        }
        return new TransactionRecord(block, index, txId, timestamp, headerType, code, event);
    }

    /** The payload's members when it is a reporting event object; values that are not strings as JSON text. */
    public static Map<String, String> reportingEvent(ByteString payload) {
        if (payload.isEmpty()) {
            return null;
        }
        String text = payload.toStringUtf8();
        if (text.indexOf('\u0000') >= 0 || text.contains("\\u0000")) {
            return null;
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> map) || !REPORTING_SCHEMA.equals(map.get("schema"))) {
            return null;
        }
        Map<String, String> event = new LinkedHashMap<>();
        map.forEach((k, v) -> event.put((String) k, v instanceof String s ? s : Json.write(v)));
        return event;
    }
}
