package io.sandbox.dashboard.ingest.store;

/** The database refused or failed a read or write of ingested data; the caller retries from the checkpoint. */
public final class IngestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
