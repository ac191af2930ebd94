package io.sandbox.dashboard.live;

import java.time.Instant;
import java.util.Objects;

/**
 * One committed transaction as the live feed shows it: where it is, who sent it, what it did and whether the
 * ledger kept it. Business fields come from the transaction's first reporting event, when it has one.
 *
 * @param channel        the startup's channel
 * @param blockNumber    the block that holds it
 * @param txId           its transaction id
 * @param timestamp      the client's timestamp in its header
 * @param creatorMsp     the submitter's MSP id
 * @param chaincode      the chaincode invoked, or {@code null} for a configuration transaction
 * @param function       the function invoked, or {@code null}
 * @param validationCode Fabric's validation code, e.g. {@code VALID} or {@code MVCC_READ_CONFLICT}
 * @param eventType      the reporting event's type, or {@code null}
 * @param amount         the reporting event's amount (decimal text), or {@code null}
 * @param currency       the reporting event's currency, or {@code null}
 * @param ingestedAt     when ingestion stored it (the feed's latency is measured from the commit to here and on)
 */
public record FeedItem(String channel, long blockNumber, String txId, Instant timestamp, String creatorMsp,
        String chaincode, String function, String validationCode, String eventType, String amount, String currency,
        Instant ingestedAt) {

    public FeedItem {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(validationCode, "validationCode");
    }
}
