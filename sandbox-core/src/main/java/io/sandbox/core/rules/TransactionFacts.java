package io.sandbox.core.rules;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One decoded transaction of a startup's channel, as the rules see it.
 *
 * @param channel        the channel
 * @param startup        the startup the channel belongs to
 * @param blockNumber    the block's number
 * @param txIndex        the transaction's position in the block
 * @param txId           the transaction id
 * @param timestamp      the channel header's timestamp: the event time all windows run on
 * @param headerType     e.g. {@code ENDORSER_TRANSACTION}, {@code CONFIG}
 * @param creatorMsp     the creator's MSP id
 * @param endorserMsps   the endorsers' MSP ids
 * @param chaincode      the invoked chaincode, or {@code null}
 * @param function       the invoked function, or {@code null}
 * @param validationCode the peer's verdict, e.g. {@code VALID}, {@code MVCC_READ_CONFLICT}
 * @param event          its {@code sandbox.reporting/1} event, or {@code null} (Fabric keeps one per transaction)
 * @param deployedChaincode for a {@code _lifecycle} {@code CommitChaincodeDefinition}: the chaincode whose definition
 *                       it commits (its write set's {@code namespaces/metadata/<name>} key); otherwise {@code null}
 */
public record TransactionFacts(String channel, String startup, long blockNumber, int txIndex, String txId,
        Instant timestamp, String headerType, String creatorMsp, List<String> endorserMsps, String chaincode,
        String function, String validationCode, ReportingEvent event, String deployedChaincode) {

    /** A transaction that commits no chaincode definition. */
    public TransactionFacts(String channel, String startup, long blockNumber, int txIndex, String txId,
            Instant timestamp, String headerType, String creatorMsp, List<String> endorserMsps, String chaincode,
            String function, String validationCode, ReportingEvent event) {
        this(channel, startup, blockNumber, txIndex, txId, timestamp, headerType, creatorMsp, endorserMsps, chaincode,
                function, validationCode, event, null);
    }

    public TransactionFacts {
        Objects.requireNonNull(startup, "startup");
        Objects.requireNonNull(timestamp, "timestamp");
        endorserMsps = endorserMsps == null ? List.of() : List.copyOf(endorserMsps);
    }

    /** Whether the peer marked it valid. */
    public boolean valid() {
        return "VALID".equals(validationCode);
    }
}
