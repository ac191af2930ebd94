package io.sandbox.devnet;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Logging set-up for the command-line entry points and benches that host the devnet. */
public final class Logging {

    private Logging() {
    }

    /**
     * Installs jboss-logmanager (on the class path through Quarkus' libraries) as JUL's manager, and puts the root
     * of its own log context at INFO too: slf4j reaches that context whatever JUL's manager is, and unconfigured its
     * root level is ALL, so every debug check passes and, among others, Netty's HTTP/2 frame logger formats a hex
     * dump of every gRPC frame only for the handler to drop it.
     */
    public static void install() {
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        Logger.getLogger("").setLevel(Level.INFO);
        try {
            Class<?> context = Class.forName("org.jboss.logmanager.LogContext");
            Object system = context.getMethod("getSystemLogContext").invoke(null);
            ((Logger) context.getMethod("getLogger", String.class).invoke(system, "")).setLevel(Level.INFO);
        } catch (ReflectiveOperationException | ClassCastException absent) {
            // no jboss-logmanager on the class path: JUL's own root (INFO by default) is the one that counts
        }
    }
}
