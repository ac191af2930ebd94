package io.sandbox.devnet.peer.lifecycle;

/**
 * A {@code _lifecycle} function failed. {@link #notFound()} marks Fabric's two "not found" errors
 * ({@code ErrNamespaceNotDefined}, {@code CodePackageNotFoundErr}), which the SCC answers with status 404
 * instead of 500.
 */
public final class LifecycleException extends RuntimeException {

    private final boolean notFound;

    public LifecycleException(String message) {
        this(message, false, null);
    }

    public LifecycleException(String message, Throwable cause) {
        this(message, false, cause);
    }

    LifecycleException(String message, boolean notFound, Throwable cause) {
        super(message, cause);
        this.notFound = notFound;
    }

    static LifecycleException notFound(String message) {
        return new LifecycleException(message, true, null);
    }

    /** Whether Fabric answers this with status 404. */
    public boolean notFound() {
        return notFound;
    }
}
