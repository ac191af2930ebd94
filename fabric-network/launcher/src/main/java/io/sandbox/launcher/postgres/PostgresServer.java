package io.sandbox.launcher.postgres;

import io.sandbox.launcher.Console;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.process.ManagedProcess;
import io.sandbox.launcher.process.Readiness;
import io.sandbox.launcher.process.StopSignal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.postgresql.Driver;

/**
 * A real PostgreSQL server started by the launcher, from the installed binaries or else from those on Maven
 * Central. Its cluster lives in {@code <dataRoot>/data} and is kept between runs. It listens on 127.0.0.1
 * only; its superuser is {@code sandbox}, authenticated by password (SCRAM). When the launcher runs as root,
 * PostgreSQL runs as user {@code nobody}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String PART = "PostgreSQL";
    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "sandbox";
    private static final String PORT_SETTING = "SANDBOX_PG_PORT";
    private static final String RESET_HINT = "Run with --reset to start from an empty database (this deletes its data)";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Set<String> SYSTEM_DATABASES = Set.of("postgres", "template0", "template1");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Driver DRIVER = new Driver();

    private final int port;
    private final String password;
    private final Path dataDirectory;
    private final PgBinaries binaries;
    private final ManagedProcess process;
    private long postmasterPid;
    private Thread interruptOnExit;

    private PostgresServer(int port, String password, Path dataDirectory, PgBinaries binaries, ManagedProcess process) {
        this.port = port;
        this.password = password;
        this.dataDirectory = dataDirectory;
        this.binaries = binaries;
        this.process = process;
        this.postmasterPid = process.pid();
    }

    /**
     * Starts PostgreSQL as {@code settings} say, creating its cluster first if there is none (or if
     * {@code settings.reset()}), and returns once it accepts logins. {@code superuserPassword} becomes the
     * password of a new cluster and must be the same on every later start with the same data.
     *
     * @throws LauncherException if it cannot start, with what to do about it
     */
    public static PostgresServer start(PostgresSettings settings, String superuserPassword) {
        Objects.requireNonNull(settings, "settings");
        checkPassword(superuserPassword);
        return start(settings, superuserPassword, PgBinaries.locate());
    }

    /** As {@link #start(PostgresSettings, String)}, with the given binaries. */
    static PostgresServer start(PostgresSettings settings, String superuserPassword, PgBinaries binaries) {
        return start(settings, superuserPassword, binaries, RunAs.forThisProcess());
    }

    /** As {@link #start(PostgresSettings, String)}, with the given binaries, run as {@code runAs}. */
    static PostgresServer start(PostgresSettings settings, String superuserPassword, PgBinaries binaries, RunAs runAs) {
        checkPassword(superuserPassword);
        Path root = settings.dataRoot();
        try {
            checkReachable(binaries, runAs);
            root = prepareRoot(settings.dataRoot(), runAs);
            Path data = root.resolve("data");
            stopEarlierInstance(data);
            Readiness.requireFreePort(settings.port(), PART, PORT_SETTING);
            if (settings.reset() && Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
                Console.step(PART, "reset: deleting the data in " + data);
                FileTrees.deleteRecursively(data);
            }
            if (Files.isRegularFile(data.resolve("PG_VERSION"))) {
                checkVersion(data, binaries);
                if (!runAs.owns(data)) {
                    runAs.own(data, true);
                }
            } else {
                refuseForeignContent(data);
                initdb(binaries, runAs, root, data, superuserPassword, settings.logFile());
            }
            return launch(settings, superuserPassword, binaries, runAs, root, data);
        } catch (IOException e) {
            throw new LauncherException("Could not prepare PostgreSQL's data directory %s: %s. Check its permissions and the free disk space."
                    .formatted(root, e), e);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://%s:%d/%s".formatted(HOST, port, database);
    }

    /**
     * Creates database {@code name}, owned by {@code sandbox}, unless it exists.
     *
     * @throws IllegalArgumentException if {@code name} does not match {@code [a-z_][a-z0-9_]*} (at most 63 characters)
     */
    public void ensureDatabase(String name) {
        requireDatabaseName(name);
        try (Connection connection = connect("postgres")) {
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        return;
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE \"" + name + "\" OWNER " + SUPERUSER);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // duplicate_database: created meanwhile by someone else
            }
            throw new LauncherException("Could not create database %s in PostgreSQL on %s:%d: %s".formatted(name, HOST, port, e.getMessage()), e);
        }
    }

    /**
     * Drops database {@code name} if it exists, disconnecting its sessions.
     *
     * @throws IllegalArgumentException if {@code name} is not a valid name or is one of PostgreSQL's own databases
     */
    public void dropDatabase(String name) {
        requireDatabaseName(name);
        if (SYSTEM_DATABASES.contains(name)) {
            throw new IllegalArgumentException("Refusing to drop PostgreSQL's own database " + name);
        }
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            boolean force = connection.getMetaData().getDatabaseMajorVersion() >= 13;
            statement.execute("DROP DATABASE IF EXISTS \"" + name + "\"" + (force ? " WITH (FORCE)" : ""));
        } catch (SQLException e) {
            throw new LauncherException("Could not drop database %s in PostgreSQL on %s:%d: %s".formatted(name, HOST, port, e.getMessage()), e);
        }
    }

    /** Stops PostgreSQL with a fast shutdown (SIGINT) and waits until it has exited. */
    @Override
    public void close() {
        boolean wasRunning = process.isAlive();
        if (interruptOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(interruptOnExit);
            } catch (IllegalStateException e) {
                // The JVM is exiting: the hook does the same.
            }
            if (wasRunning) {
                interruptOnExit.run();
            }
            interruptOnExit = null;
        }
        process.stop(STOP_GRACE);
        if (wasRunning) {
            Console.step(PART, "stopped");
        }
    }

    /** The cluster's directory (under the data root, or under /var/tmp when root cannot use the data root). */
    Path dataDirectory() {
        return dataDirectory;
    }

    PgBinaries binaries() {
        return binaries;
    }

    /** The postmaster's process id. */
    long pid() {
        return postmasterPid;
    }

    private static PostgresServer launch(PostgresSettings settings, String password, PgBinaries binaries, RunAs runAs,
            Path root, Path data) {
        List<String> command = List.of(binaries.postgres().toString(),
                "-D", data.toString(),
                "-p", Integer.toString(settings.port()),
                "-c", "listen_addresses=" + HOST,
                "-c", "unix_socket_directories=",
                "-c", "fsync=on",
                "-c", "max_connections=200",
                "-c", "shared_buffers=128MB");
        long started = System.nanoTime();
        ManagedProcess process = ManagedProcess.start(PART, runAs.command(command), runAs.environment(), root,
                settings.logFile(), StopSignal.INT);
        PostgresServer server = new PostgresServer(settings.port(), password, data, binaries, process);
        try {
            process.awaitReady(READY_TIMEOUT, server::acceptsLogin);
            if (runAs.wrapperStays()) {
                server.signalPostmasterOnStop(data);
            }
        } catch (RuntimeException e) {
            process.stop(Duration.ofSeconds(10));
            throw e;
        }
        Console.done(PART, "PostgreSQL %d (%s) ready on %s:%d".formatted(binaries.majorVersion(), binaries.origin(), HOST, settings.port()),
                Duration.ofNanos(System.nanoTime() - started));
        return server;
    }

    /**
     * A wrapper such as runuser ignores the SIGINT that {@link ManagedProcess} sends it, so PostgreSQL itself
     * is sent SIGINT on {@link #close()} and when the JVM exits.
     */
    private void signalPostmasterOnStop(Path data) {
        try {
            postmasterPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid"), StandardCharsets.UTF_8).getFirst().trim());
        } catch (IOException | RuntimeException e) {
            throw new LauncherException("PostgreSQL started, but its postmaster.pid in %s is unreadable (%s), so it could not be stopped cleanly later. Install setpriv (util-linux) and try again."
                    .formatted(data, e.getMessage()), e);
        }
        long pid = postmasterPid;
        interruptOnExit = new Thread(() -> interrupt(pid), "sandbox-postgres-stop");
        Runtime.getRuntime().addShutdownHook(interruptOnExit);
    }

    /**
     * True once our server (not another one answering on the port) accepts a login; fails at once if the server
     * is up but refuses the password.
     */
    private boolean acceptsLogin() {
        if (!process.isAlive()) {
            return false; // awaitReady reports the exit with the end of the log
        }
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('data_directory')")) {
            return row.next() && isSameFile(Path.of(row.getString(1)), dataDirectory);
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state != null && state.startsWith("28")) { // invalid_authorization_specification, invalid_password
                throw new LauncherException("PostgreSQL in %s refused the launcher's login as %s (%s): its data was created with another password. %s."
                        .formatted(dataDirectory, SUPERUSER, e.getMessage(), RESET_HINT), e);
            }
            return false;
        }
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("sslmode", "disable");
        properties.setProperty("ApplicationName", "sandbox-launcher");
        Connection connection = DRIVER.connect(jdbcUrl(database), properties);
        if (connection == null) {
            throw new SQLException("The PostgreSQL driver does not accept " + jdbcUrl(database));
        }
        return connection;
    }

    private static void checkPassword(String password) {
        Objects.requireNonNull(password, "superuserPassword");
        if (password.isEmpty() || password.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
            throw new IllegalArgumentException("The PostgreSQL password must be non-empty and on one line");
        }
    }

    private static void requireDatabaseName(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a valid database name (expected [a-z_][a-z0-9_]*, at most 63 characters): " + name);
        }
    }

    private static void checkReachable(PgBinaries binaries, RunAs runAs) throws IOException {
        Path closed = runAs.firstClosedDirectory(binaries.binDirectory(), true);
        if (closed != null) {
            throw new LauncherException(("The PostgreSQL binaries in %s cannot be used by %s, which runs PostgreSQL because PostgreSQL refuses to run as root:"
                    + " %s is closed to it. Set %s to a PostgreSQL installation elsewhere, or run the launcher as a normal user.")
                    .formatted(binaries.binDirectory(), runAs.describe(), closed, PgBinaries.OVERRIDE_VARIABLE));
        }
    }

    /**
     * Creates the data root and hands it to the user PostgreSQL runs as. When that user cannot reach it (root
     * running a project under a private home), a directory under /var/tmp derived from its path is used instead.
     */
    private static Path prepareRoot(Path dataRoot, RunAs runAs) throws IOException {
        Files.createDirectories(dataRoot);
        Path root = dataRoot;
        Path closed = runAs.firstClosedDirectory(dataRoot, false);
        if (closed != null) {
            root = Path.of("/var/tmp", "sandbox-postgres-" + shortHash(dataRoot.toRealPath().toString()));
            Console.step(PART, "%s is closed to %s, which runs PostgreSQL (it refuses to run as root): keeping the data in %s instead"
                    .formatted(closed, runAs.describe(), root));
            if (Files.isSymbolicLink(root)) {
                throw new IOException(root + " is a symbolic link; remove it");
            }
            Files.createDirectories(root);
            int owner = FileTrees.ownerUid(root);
            if (owner != 0 && !runAs.owns(root)) {
                throw new IOException(root + " belongs to another user (uid " + owner + "); remove it");
            }
        }
        runAs.own(root, false);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        return root;
    }

    /** Stops a PostgreSQL that an earlier, killed launcher left running on {@code data}. */
    private static void stopEarlierInstance(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).getFirst().trim());
        } catch (RuntimeException e) {
            return; // unreadable or half-written: PostgreSQL judges it itself
        }
        Optional<ProcessHandle> earlier = ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(PostgresServer::isPostgres);
        if (earlier.isEmpty()) {
            return; // stale pid file: PostgreSQL removes it
        }
        Console.step(PART, "stopping the PostgreSQL (pid %d) that an earlier run left running on %s".formatted(pid, data));
        interrupt(pid);
        if (!awaitExit(earlier.get(), STOP_GRACE)) {
            earlier.get().destroyForcibly();
            if (!awaitExit(earlier.get(), Duration.ofSeconds(10))) {
                throw new LauncherException("PostgreSQL (pid %d), left running on %s by an earlier run, does not stop. Stop it (kill -9 %d) and try again."
                        .formatted(pid, data, pid));
            }
        }
    }

    /** Sends SIGINT (PostgreSQL's fast shutdown) to {@code pid}. */
    private static void interrupt(long pid) {
        try {
            Exec.run(List.of("kill", "-INT", Long.toString(pid)), Duration.ofSeconds(10));
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // SIGTERM: a smart shutdown is second best
        }
    }

    private static boolean isPostgres(ProcessHandle handle) {
        try {
            String name = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "comm")).strip();
            return name.equals("postgres") || name.equals("postmaster");
        } catch (IOException e) {
            return handle.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !handle.isAlive();
            }
        }
        return true;
    }

    private static void checkVersion(Path data, PgBinaries binaries) throws IOException {
        String version = Files.readString(data.resolve("PG_VERSION"), StandardCharsets.UTF_8).strip();
        if (!version.equals(Integer.toString(binaries.majorVersion()))) {
            throw new LauncherException(("The PostgreSQL data in %s was created by PostgreSQL %s, but the PostgreSQL found (%s, from %s) is version %d and cannot open it."
                    + " %s, or set %s to the bin directory of a PostgreSQL %s installation.")
                    .formatted(data, version, binaries.binDirectory(), binaries.origin(), binaries.majorVersion(),
                            RESET_HINT, PgBinaries.OVERRIDE_VARIABLE, version));
        }
    }

    /** An empty leftover directory is removed; anything else that is not a cluster is not ours to delete. */
    private static void refuseForeignContent(Path data) throws IOException {
        if (!Files.exists(data, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(data)) {
                if (children.findAny().isEmpty()) {
                    Files.delete(data);
                    return;
                }
            }
        }
        throw new LauncherException("%s is not a PostgreSQL data directory (it has no PG_VERSION). %s.".formatted(data, RESET_HINT));
    }

    /**
     * Runs initdb into a staging directory that is renamed to {@code data} only when complete, so that an
     * interrupted initdb is never mistaken for a cluster.
     */
    private static void initdb(PgBinaries binaries, RunAs runAs, Path root, Path data, String password, Path logFile)
            throws IOException {
        Path staging = root.resolve("data.initdb");
        FileTrees.deleteRecursively(staging);
        Console.step(PART, "creating a new PostgreSQL %d cluster in %s".formatted(binaries.majorVersion(), data));
        long started = System.nanoTime();
        Path passwordFile = root.resolve("initdb-password-" + UUID.randomUUID());
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            runAs.own(passwordFile, false);
            List<String> command = new ArrayList<>(List.of(binaries.initdb().toString(),
                    "-D", staging.toString(),
                    "-U", SUPERUSER,
                    "--pwfile=" + passwordFile,
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C"));
            if (binaries.majorVersion() >= 18) {
                command.add("--no-data-checksums"); // on by default since 18; off is faster
            }
            ManagedProcess initdb = ManagedProcess.start(PART + " initdb", runAs.command(command), runAs.environment(), root,
                    logFile, StopSignal.TERM);
            int exitCode;
            try {
                exitCode = initdb.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("Interrupted while creating the PostgreSQL cluster in " + data, e);
            } finally {
                initdb.close();
            }
            if (exitCode != 0) {
                throw new LauncherException("initdb failed (exit code %d) while creating the PostgreSQL cluster in %s. Last lines of %s:%n%s"
                        .formatted(exitCode, data, logFile, initdb.logTail(30)));
            }
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
        Console.done(PART, "created the cluster", Duration.ofNanos(System.nanoTime() - started));
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
