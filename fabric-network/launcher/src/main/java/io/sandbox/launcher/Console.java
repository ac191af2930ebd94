package io.sandbox.launcher;

import java.io.PrintStream;
import java.time.Duration;

/** Readable progress lines for the person at the terminal: one line per step, with its duration. */
public final class Console {

    private static final PrintStream OUT = System.out;
    private static final long STARTED = System.nanoTime();

    private Console() {
    }

    public static void step(String part, String message) {
        OUT.printf("[%6.1fs] %-20s %s%n", elapsedSeconds(), part, message);
        OUT.flush();
    }

    public static void done(String part, String message, Duration took) {
        step(part, "%s (%.1f s)".formatted(message, took.toMillis() / 1000.0));
    }

    public static void line(String text) {
        OUT.println(text);
        OUT.flush();
    }

    public static void error(String text) {
        System.err.println(text);
        System.err.flush();
    }

    private static double elapsedSeconds() {
        return (System.nanoTime() - STARTED) / 1e9;
    }
}
