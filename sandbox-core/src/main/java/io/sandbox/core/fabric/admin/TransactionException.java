package io.sandbox.core.fabric.admin;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** An ordered transaction was committed invalid, or was not seen committed in time. */
public final class TransactionException extends FabricAdminException {

    private final String txId;
    private final TxValidationCode validationCode;

    TransactionException(String txId, TxValidationCode validationCode, String detail) {
        super("transaction " + txId + (validationCode == null ? " " + detail : " committed as " + validationCode), null);
        this.txId = txId;
        this.validationCode = validationCode;
    }

    /** The transaction id. */
    public String txId() {
        return txId;
    }

    /** The validation code, or {@code null} when the commit was not observed before the timeout. */
    public TxValidationCode validationCode() {
        return validationCode;
    }
}
