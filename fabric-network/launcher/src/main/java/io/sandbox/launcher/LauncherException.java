package io.sandbox.launcher;

/**
 * A failure the person running the launcher can act on. Its message is printed as it is, without a
 * stack trace, so it must say what went wrong and what to do about it.
 */
public final class LauncherException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LauncherException(String message) {
        super(message);
    }

    public LauncherException(String message, Throwable cause) {
        super(message, cause);
    }
}
