package io.sandbox.launcher.process;

/** How a child is asked to stop before it is killed. */
public enum StopSignal {
    /** SIGTERM: the usual polite request (JVMs run their shutdown hooks). */
    TERM,
    /** SIGINT: PostgreSQL's "fast shutdown", which does not wait for clients to disconnect. */
    INT
}
