package io.sandbox.devnet.peer.state;

import java.util.Objects;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Where a transaction id was committed, as the block store's txid index ({@code blkstorage} {@code TxIDExists},
 * {@code RetrieveTxValidationCodeByTxID}).
 *
 * @param txId           the transaction id
 * @param blockNum       its block
 * @param txNum          its index in the block
 * @param validationCode the code its block's TRANSACTIONS_FILTER holds for it
 */
public record TxRecord(String txId, long blockNum, int txNum, TxValidationCode validationCode) {

    /** Checks for nulls. */
    public TxRecord {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(validationCode, "validationCode");
    }
}
