package io.sandbox.core.audit;

/** The audit log could not be written or read; the caller's transaction must not commit without it. */
public class AuditLogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    AuditLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
