package io.sandbox.chaincode;

import org.hyperledger.fabric.shim.ChaincodeException;

/**
 * The contract's failures. Each is a {@link ChaincodeException} whose message names the offending field
 * ({@code "<field>: <problem>"}) and whose payload is a stable machine-readable code; the shim returns both to
 * the client as the error response, never a stack trace.
 */
final class SandboxErrors {

    /** Error codes, sent as the exception payload (UTF-8). */
    enum Code {
        INVALID_ARGUMENT,
        NOT_FOUND,
        ALREADY_EXISTS,
        INSUFFICIENT_BALANCE
    }

    private SandboxErrors() {
    }

    static ChaincodeException invalid(String field, String problem) {
        return error(Code.INVALID_ARGUMENT, field, problem);
    }

    static ChaincodeException notFound(String field, String problem) {
        return error(Code.NOT_FOUND, field, problem);
    }

    static ChaincodeException duplicate(String field, String problem) {
        return error(Code.ALREADY_EXISTS, field, problem);
    }

    static ChaincodeException insufficient(String field, String problem) {
        return error(Code.INSUFFICIENT_BALANCE, field, problem);
    }

    private static ChaincodeException error(Code code, String field, String problem) {
        return new ChaincodeException(field + ": " + problem, code.name());
    }
}
