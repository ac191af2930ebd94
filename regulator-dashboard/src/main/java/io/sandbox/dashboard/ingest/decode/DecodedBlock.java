package io.sandbox.dashboard.ingest.decode;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One block as the dashboard stores it.
 *
 * @param channel          the channel it belongs to
 * @param number           its number
 * @param headerHash       SHA-256 of its header, computed here
 * @param previousHash     the previous block's header hash, as the header states it
 * @param dataHash         the data hash, as the header states it
 * @param dataHashMatches  whether the header's data hash equals the hash of the block's data
 * @param transactions     its transactions, in block order
 */
public record DecodedBlock(String channel, long number, byte[] headerHash, byte[] previousHash, byte[] dataHash,
        boolean dataHashMatches, List<DecodedTransaction> transactions) {

    /** Checks for nulls; copies the list. */
    public DecodedBlock {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(headerHash, "headerHash");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(dataHash, "dataHash");
        transactions = List.copyOf(transactions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedBlock b && channel.equals(b.channel) && number == b.number
                && Arrays.equals(headerHash, b.headerHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channel, number, Arrays.hashCode(headerHash));
    }

    @Override
    public String toString() {
        return "DecodedBlock[" + channel + " #" + number + ", " + transactions.size() + " tx]";
    }
}
