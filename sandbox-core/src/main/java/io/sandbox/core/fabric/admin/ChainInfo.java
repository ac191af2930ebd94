package io.sandbox.core.fabric.admin;

import com.google.protobuf.ByteString;
import java.util.Objects;

/**
 * A peer's view of a channel's ledger ({@code qscc GetChainInfo}).
 *
 * @param height            number of blocks
 * @param currentBlockHash  header hash of the last block
 * @param previousBlockHash the last block's previous hash
 */
public record ChainInfo(long height, ByteString currentBlockHash, ByteString previousBlockHash) {

    /** Checks for nulls. */
    public ChainInfo {
        Objects.requireNonNull(currentBlockHash, "currentBlockHash");
        Objects.requireNonNull(previousBlockHash, "previousBlockHash");
    }
}
