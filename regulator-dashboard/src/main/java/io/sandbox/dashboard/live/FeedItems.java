package io.sandbox.dashboard.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Feed items of committed blocks: one per transaction, business fields from its first reporting event. */
public final class FeedItems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedItems() {
    }

    /** The items of these blocks, in ledger order. */
    public static List<FeedItem> of(List<DecodedBlock> blocks) {
        Instant now = Instant.now();
        List<FeedItem> items = new ArrayList<>();
        for (DecodedBlock block : blocks) {
            for (DecodedTransaction tx : block.transactions()) {
                JsonNode event = firstEvent(tx.reportingEvents());
                items.add(new FeedItem(block.channel(), block.number(), tx.txId() == null ? "" : tx.txId(), tx.timestamp(), tx.creatorMsp(),
                        tx.chaincode(), tx.function(), tx.validationCode() == null ? "UNKNOWN" : tx.validationCode(),
                        text(event, "type"), text(event, "amount"), text(event, "currency"), now));
            }
        }
        return items;
    }

    private static JsonNode firstEvent(String reportingEvents) {
        if (reportingEvents == null) {
            return null;
        }
        try {
            JsonNode events = JSON.readTree(reportingEvents);
            return events.isArray() && !events.isEmpty() ? events.get(0) : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
    }
}
