package io.sandbox.launcher.process;

import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A child process owned by the launcher: its output goes to a log file, it is stopped politely and
 * then forcibly together with its descendants, and every instance still running when the JVM exits
 * (Ctrl-C included) is stopped in reverse order of start, so nothing is left behind.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Deque<ManagedProcess> RUNNING = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ManagedProcess::stopAll, "sandbox-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;
    private final StopSignal stopSignal;

    private ManagedProcess(String name, Process process, Path logFile, StopSignal stopSignal) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopSignal = stopSignal;
    }

    /**
     * Starts {@code command} with {@code environment} added to this process's own, writing its
     * standard output and error to {@code logFile} (appended).
     */
    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
            Path workingDirectory, Path logFile, StopSignal stopSignal) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(logFile, "logFile");
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            ManagedProcess managed = new ManagedProcess(name, builder.start(), logFile, stopSignal);
            synchronized (RUNNING) {
                RUNNING.push(managed);
            }
            return managed;
        } catch (IOException e) {
            throw new LauncherException("Could not start " + name + " (" + command.getFirst() + "): " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Polls {@code ready} until it answers true. Fails at once, with the end of the log, if the process
     * exits first, and after {@code timeout} if it never becomes ready.
     */
    public void awaitReady(Duration timeout, BooleanSupplier ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                throw new LauncherException("%s exited with code %d before it was ready.%s%nLast lines of %s:%n%s"
                        .formatted(name, process.exitValue(), rootCause(), logFile, logTail(15)));
            }
            if (System.nanoTime() > deadline) {
                throw new LauncherException("%s was not ready after %d s. Last lines of %s:%n%s"
                        .formatted(name, timeout.toSeconds(), logFile, logTail(30)));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("Interrupted while waiting for " + name, e);
            }
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** The last {@code lines} lines of the log, for error messages. */
    public String logTail(int lines) {
        try (Stream<String> all = Files.lines(logFile, StandardCharsets.UTF_8)) {
            List<String> text = all.toList();
            return String.join(System.lineSeparator(), text.subList(Math.max(0, text.size() - lines), text.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * The deepest Java {@code Caused by:} in the log with its message (up to the first stack frame), so
     * that a failed start names its reason rather than a screen of stack frames; empty if there is none.
     */
    String rootCause() {
        List<String> lines;
        try (Stream<String> all = Files.lines(logFile, StandardCharsets.UTF_8)) {
            lines = all.toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
        int start = -1;
        for (int i = lines.size() - 1; i >= 0 && start < 0; i--) {
            if (lines.get(i).startsWith("Caused by: ")) {
                start = i;
            }
        }
        if (start < 0) {
            return "";
        }
        StringBuilder cause = new StringBuilder(System.lineSeparator()).append("Cause: ")
                .append(lines.get(start).substring("Caused by: ".length()));
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("\tat ") && i < start + 12; i++) {
            cause.append(System.lineSeparator()).append("  ").append(lines.get(i));
        }
        return cause.toString();
    }

    /**
     * Asks the process to stop with its stop signal, waits up to {@code grace}, then kills it and
     * whatever it started.
     */
    public void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        if (process.isAlive()) {
            signal(process.toHandle(), stopSignal);
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (ProcessHandle child : descendants) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Reported by the caller's own checks; nothing more can be done here.
            }
        }
        synchronized (RUNNING) {
            RUNNING.remove(this);
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    private static void signal(ProcessHandle handle, StopSignal signal) {
        if (signal == StopSignal.TERM) {
            handle.destroy();
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(handle.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                handle.destroy();
            }
        } catch (IOException e) {
            handle.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroy();
        }
    }

    private static void stopAll() {
        while (true) {
            ManagedProcess next;
            synchronized (RUNNING) {
                next = RUNNING.peek();
            }
            if (next == null) {
                return;
            }
            next.stop(Duration.ofSeconds(20));
        }
    }
}
