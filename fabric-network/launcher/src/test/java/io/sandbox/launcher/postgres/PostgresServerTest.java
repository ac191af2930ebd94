package io.sandbox.launcher.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sandbox.launcher.BuildInfo;
import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    private static final String PASSWORD = "s3cret-pg";

    private static Path base;

    @BeforeAll
    static void createBase() throws IOException {
        // Not JUnit's @TempDir: that is mode 700, which user nobody (PostgreSQL's user when we are root) cannot enter.
        base = Files.createTempDirectory("sandbox-pg-test-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void deleteBase() throws IOException {
        FileTrees.deleteRecursively(base);
    }

    @Test
    void keepsDataBetweenRunsAndResetWipesIt() throws Exception {
        Path root = base.resolve("keep/postgres");
        Path log = base.resolve("keep/postgres.log");
        int port = freePort();
        PostgresSettings settings = new PostgresSettings(root, port, false, log);
        Files.createDirectories(root.resolve("data.initdb/global")); // what an interrupted initdb leaves
        Files.writeString(root.resolve("data.initdb/global/half-written"), "x");
        Path data;
        long pid;
        try (PostgresServer server = PostgresServer.start(settings, PASSWORD)) {
            if (System.getenv(PgBinaries.OVERRIDE_VARIABLE) == null && PgBinaries.installed().isPresent()) {
                assertThat(server.binaries().origin()).isEqualTo("installed");
            }
            assertThat(server.host()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.username()).isEqualTo("sandbox");
            assertThat(server.password()).isEqualTo(PASSWORD);
            assertThat(server.jdbcUrl("orders")).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/orders");
            server.ensureDatabase("orders");
            server.ensureDatabase("orders");
            update(server, "orders", "CREATE TABLE item (name text)", "INSERT INTO item VALUES ('kept')");
            data = server.dataDirectory();
            pid = server.pid();
        }
        assertNoPostgresOn(data, pid);
        assertThat(root.resolve("data.initdb")).doesNotExist();
        assertThat(log).content().contains("database system is ready to accept connections");

        PostgresSettings again = new PostgresSettings(root, freePort(), false, log);
        try (PostgresServer server = PostgresServer.start(again, PASSWORD)) {
            assertThat(queryStrings(server, "orders", "SELECT name FROM item")).containsExactly("kept");
        }

        assertThatThrownBy(() -> PostgresServer.start(again, "not-the-password"))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("another password")
                .hasMessageContaining("--reset");
        assertNoPostgresOn(data, -1);

        PostgresSettings reset = new PostgresSettings(root, freePort(), true, log);
        try (PostgresServer server = PostgresServer.start(reset, "new-password")) {
            assertThat(databases(server)).doesNotContain("orders");

            server.ensureDatabase("scratch");
            assertThat(databases(server)).contains("scratch");
            try (Connection open = DriverManager.getConnection(server.jdbcUrl("scratch"), "sandbox", "new-password")) {
                server.dropDatabase("scratch"); // WITH (FORCE) ends the open session
                assertThat(open.isValid(2)).isFalse();
            }
            assertThat(databases(server)).doesNotContain("scratch");
            server.dropDatabase("scratch");

            for (String bad : List.of("Orders", "1st", "a-b", "x\"; DROP DATABASE postgres; --", "", "a".repeat(64))) {
                assertThatThrownBy(() -> server.ensureDatabase(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> server.dropDatabase("postgres")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void takenPortIsRefusedNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            Path root = base.resolve("taken/postgres");
            PostgresSettings settings = new PostgresSettings(root, port, false, base.resolve("taken/postgres.log"));
            assertThatThrownBy(() -> PostgresServer.start(settings, PASSWORD))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("SANDBOX_PG_PORT");
            assertThat(root.resolve("data")).doesNotExist();
        }
    }

    @Test
    void stopsThePostgresAnEarlierRunLeftOnTheSameData() throws Exception {
        Path root = base.resolve("stale/postgres");
        Path log = base.resolve("stale/postgres.log");
        try (PostgresServer earlier = PostgresServer.start(new PostgresSettings(root, freePort(), false, log), PASSWORD)) {
            update(earlier, "postgres", "CREATE TABLE marker (id int)");
            try (PostgresServer later = PostgresServer.start(new PostgresSettings(root, freePort(), false, log), PASSWORD)) {
                assertThat(ProcessHandle.of(earlier.pid()).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
                assertThat(queryStrings(later, "postgres", "SELECT 'marker' FROM marker")).isEmpty();
            }
            assertNoPostgresOn(earlier.dataDirectory(), earlier.pid());
        }
    }

    @Test
    void runsTheBinariesFromMavenCentral() throws Exception {
        BuildInfo build = BuildInfo.load();
        Path cache = base.resolve("cache");
        PgBinaries binaries = PgBinaries.fromMaven(build, cache);
        Path home = cache.resolve("postgres-" + build.postgresBinariesVersion());
        assertThat(binaries.binDirectory()).isEqualTo(home.resolve("bin"));
        assertThat(BinariesArchive.isComplete(home)).isTrue();
        assertThat(home.resolve("bin/postgres")).isExecutable();
        try (var siblings = Files.list(cache)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly(home.getFileName().toString());
        }
        int major = Integer.parseInt(build.postgresBinariesVersion().split("\\.")[0]);
        assertThat(binaries.majorVersion()).isEqualTo(major);
        assertThat(PgBinaries.fromMaven(build, cache)).isEqualTo(binaries); // already unpacked

        Path root = base.resolve("maven/postgres");
        PostgresSettings settings = new PostgresSettings(root, freePort(), false, base.resolve("maven/postgres.log"));
        Path data;
        long pid;
        try (PostgresServer server = PostgresServer.start(settings, PASSWORD, binaries)) {
            server.ensureDatabase("maven_db");
            assertThat(queryStrings(server, "maven_db", "SHOW server_version")).singleElement().asString().startsWith(major + ".");
            data = server.dataDirectory();
            pid = server.pid();
        }
        assertNoPostgresOn(data, pid);

        Optional<PgBinaries> installed = PgBinaries.installed();
        if (installed.isPresent() && installed.get().majorVersion() != major) {
            assertThatThrownBy(() -> PostgresServer.start(settings, PASSWORD, installed.get()))
                    .isInstanceOf(LauncherException.class)
                    .hasMessageContaining("created by PostgreSQL " + major)
                    .hasMessageContaining("--reset");
        }
    }

    @Test
    void missingMavenBinariesSayWhatToDo() {
        BuildInfo empty = new BuildInfo(base.resolve("empty-repository"), "0", "17.11.0");
        assertThatThrownBy(() -> PgBinaries.fromMaven(empty, base.resolve("unused-cache")))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("./mvnw install")
                .hasMessageContaining("SANDBOX_PG_BIN");
    }

    @Test
    void asRootKeepsTheDataUnderVarTmpWhenTheDataRootIsClosedToNobody() throws Exception {
        assumeTrue(RunAs.isRoot(), "only root runs PostgreSQL as another user");
        Path closed = base.resolve("closed");
        Files.createDirectories(closed);
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        PostgresSettings settings = new PostgresSettings(closed.resolve("project/postgres"), freePort(), false,
                closed.resolve("project/postgres.log"));
        Path data = null;
        try (PostgresServer server = PostgresServer.start(settings, PASSWORD)) {
            data = server.dataDirectory();
            assertThat(data.toString()).startsWith("/var/tmp/sandbox-postgres-");
            assertThat(FileTrees.ownerUid(data)).isNotZero();
            server.ensureDatabase("closed_db");
        } finally {
            if (data != null) {
                assertNoPostgresOn(data, -1);
                FileTrees.deleteRecursively(data.getParent());
            }
        }
    }

    @Test
    void asRootAlsoRunsThroughRunuserAndStopsPromptly() throws Exception {
        assumeTrue(RunAs.isRoot() && Exec.onPath("runuser").isPresent(), "runuser is root's fallback for setpriv");
        PgBinaries binaries = PgBinaries.locate();
        Path root = base.resolve("runuser/postgres");
        PostgresSettings settings = new PostgresSettings(root, freePort(), false, base.resolve("runuser/postgres.log"));
        PostgresServer server = PostgresServer.start(settings, PASSWORD, binaries, RunAs.viaRunuser());
        try {
            assertThat(queryStrings(server, "postgres", "SELECT current_user")).containsExactly("sandbox");
        } finally {
            long started = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertNoPostgresOn(server.dataDirectory(), server.pid());
        assertThat(settings.logFile()).content()
                .contains("received fast shutdown request", "database system is shut down")
                .doesNotContain("terminated by signal");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void update(PostgresServer server, String database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static List<String> queryStrings(PostgresServer server, String database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(database), server.username(), server.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    private static List<String> databases(PostgresServer server) throws SQLException {
        return queryStrings(server, "postgres", "SELECT datname FROM pg_database");
    }

    /** No process whose command line names {@code data} is left, and {@code pid} (if given) has exited. */
    private static void assertNoPostgresOn(Path data, long pid) {
        if (pid > 0) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        }
        List<String> left = ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .map(PostgresServerTest::commandLine)
                .filter(line -> line.contains(data.toString()))
                .toList();
        assertThat(left).isEmpty();
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }
}
