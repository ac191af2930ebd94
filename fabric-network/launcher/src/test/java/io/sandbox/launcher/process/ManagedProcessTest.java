package io.sandbox.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sandbox.launcher.LauncherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @TempDir
    Path dir;

    @Test
    void aChildThatDiesBeforeReadyIsReportedWithItsDeepestCause() {
        String script = """
                echo 'Starting'
                echo 'java.lang.RuntimeException: Failed to start'
                echo '\tat io.quarkus.Main.run(Main.java:1)'
                echo 'Caused by: java.lang.IllegalStateException: outer'
                echo '\tat a.B.c(B.java:2)'
                echo 'Caused by: org.flywaydb.FlywayValidateException: Validate failed'
                echo 'Migration checksum mismatch for migration version 1'
                echo '\tat org.flywaydb.Flyway.migrate(Flyway.java:200)'
                exit 3
                """;
        ManagedProcess child = ManagedProcess.start("demo", List.of("sh", "-c", script), Map.of(), dir,
                dir.resolve("demo.log"), StopSignal.TERM);

        assertThatThrownBy(() -> child.awaitReady(Duration.ofSeconds(10), () -> false))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("demo exited with code 3 before it was ready.")
                .hasMessageContaining("Cause: org.flywaydb.FlywayValidateException: Validate failed")
                .hasMessageContaining("Migration checksum mismatch for migration version 1");
    }

    @Test
    void stopEndsTheChildAndWhatItStarted() throws Exception {
        ManagedProcess child = ManagedProcess.start("sleeper", List.of("sh", "-c", "sleep 300 & sleep 300; wait"),
                Map.of(), dir, dir.resolve("sleeper.log"), StopSignal.TERM);
        Thread.sleep(300);
        List<ProcessHandle> started = ProcessHandle.of(child.pid()).orElseThrow().descendants().toList();
        assertThat(started).isNotEmpty();

        child.stop(Duration.ofSeconds(5));

        assertThat(child.isAlive()).isFalse();
        assertThat(started).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aTakenPortIsRefusedWithTheSettingToChange() throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> Readiness.requireFreePort(socket.getLocalPort(), "Keycloak", "SANDBOX_KEYCLOAK_PORT"))
                    .isInstanceOf(LauncherException.class)
                    .hasMessage("Port %d, wanted by Keycloak, is already in use by another program. Stop that program or choose another port with SANDBOX_KEYCLOAK_PORT."
                            .formatted(socket.getLocalPort()));
        }
    }
}
