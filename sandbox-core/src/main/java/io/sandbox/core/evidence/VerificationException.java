package io.sandbox.core.evidence;

/** The first failed check of a bundle, with its exact reason. */
final class VerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    VerificationException(String reason) {
        super(reason, null, false, false);
    }
}
