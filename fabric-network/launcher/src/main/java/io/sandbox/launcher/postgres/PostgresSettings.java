package io.sandbox.launcher.postgres;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how to run one PostgreSQL instance.
 *
 * @param dataRoot a directory owned by this instance (for example {@code <project>/.sandbox/run/postgres}); the
 *                 cluster itself lives in its {@code data} subdirectory
 * @param port     the TCP port PostgreSQL listens on, on 127.0.0.1 only
 * @param reset    whether to delete the existing data and start from an empty cluster
 * @param logFile  where the output of initdb and of the server is appended
 */
public record PostgresSettings(Path dataRoot, int port, boolean reset, Path logFile) {

    public PostgresSettings {
        Objects.requireNonNull(dataRoot, "dataRoot");
        Objects.requireNonNull(logFile, "logFile");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Not a TCP port: " + port);
        }
        dataRoot = dataRoot.toAbsolutePath().normalize();
        logFile = logFile.toAbsolutePath().normalize();
    }
}
