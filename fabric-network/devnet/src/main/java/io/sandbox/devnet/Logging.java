package io.sandbox.devnet;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Logging set-up for the command-line entry points that host the devnet (the devnet's own and the launcher's). */
public final class Logging {

    private Logging() {
    }

    /**
     * Installs jboss-logmanager (on the class path through Quarkus' libraries) before anything logs, with the root
     * level at INFO: unconfigured, its root level is ALL, so every debug check passes and, among others, Netty's HTTP/2
     * frame logger formats a hex dump of every gRPC frame only for the handler to drop it.
     */
    public static void install() {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Logger.getLogger("").setLevel(Level.INFO);
    }
}
