package io.sandbox.dashboard.ingest.decode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One transaction (an envelope of a block) as far as it could be decoded; fields that could not be read are
 * {@code null} and {@link #decodeError()} says why.
 *
 * @param index           position in the block
 * @param txId            the channel header's transaction id
 * @param timestamp       the channel header's (client-signed) timestamp
 * @param headerType      the channel header's type, e.g. {@code ENDORSER_TRANSACTION} or {@code CONFIG}
 * @param creatorMsp      the creator's MSP id
 * @param creatorSubject  the creator certificate's subject DN (RFC 2253)
 * @param endorserMsps    MSP ids of the endorsers, in endorsement order
 * @param chaincode       the invoked chaincode
 * @param function        the first argument of the invocation
 * @param reads           keys read, per namespace
 * @param writes          keys written or deleted, per namespace
 * @param validationCode  the committing peer's verdict, e.g. {@code VALID}, {@code MVCC_READ_CONFLICT}
 * @param eventName       the chaincode event's name, if any
 * @param reportingEvents JSON array of the {@code sandbox.reporting/1} payloads, {@code null} if none
 * @param argDigests      HMAC-SHA256 (hex) of the arguments after the function; {@code null} without a key
 * @param decodeError     what could not be decoded, or {@code null}
 */
public record DecodedTransaction(int index, String txId, Instant timestamp, String headerType, String creatorMsp,
        String creatorSubject, List<String> endorserMsps, String chaincode, String function,
        Map<String, List<String>> reads, Map<String, List<String>> writes, String validationCode, String eventName,
        String reportingEvents, List<String> argDigests, String decodeError) {

    /** Whether the peer marked it valid. */
    public boolean valid() {
        return "VALID".equals(validationCode);
    }
}
