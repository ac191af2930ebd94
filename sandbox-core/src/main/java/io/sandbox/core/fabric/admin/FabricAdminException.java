package io.sandbox.core.fabric.admin;

/** A failed admin operation; the subclass names the stage that failed. */
public abstract class FabricAdminException extends RuntimeException {

    FabricAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
