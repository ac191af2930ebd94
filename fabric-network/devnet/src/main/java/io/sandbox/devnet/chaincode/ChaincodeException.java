package io.sandbox.devnet.chaincode;

/**
 * A chaincode execution that did not produce a response: the chaincode could not be reached or registered, it
 * answered ERROR, its stream died, or it did not answer within the execute timeout. (A chaincode that answers with
 * an error <em>response</em>, status 500 and a message, is a normal {@link ChaincodeRuntime.Result}.)
 */
public class ChaincodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChaincodeException(String message) {
        super(message);
    }

    public ChaincodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
