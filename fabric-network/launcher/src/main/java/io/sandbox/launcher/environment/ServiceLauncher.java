package io.sandbox.launcher.environment;

import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.process.ManagedProcess;
import io.sandbox.launcher.process.Readiness;
import io.sandbox.launcher.process.StopSignal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts a built service ({@code <module>/target/quarkus-app}) as its own JVM against an environment. */
public final class ServiceLauncher {

    private final Path projectRoot;
    private final Path logDirectory;

    public ServiceLauncher(Path projectRoot, Path logDirectory) {
        this.projectRoot = projectRoot;
        this.logDirectory = logDirectory;
    }

    public Path jar(Service service) {
        return projectRoot.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Starts {@code service} on {@code port} with extra environment variables; returns at once (see {@link #awaitHealthy}). */
    public ManagedProcess start(Service service, int port, EnvironmentConnection connection,
            Map<String, String> extraEnvironment) {
        Path jar = jar(service);
        if (!Files.isRegularFile(jar)) {
            throw new LauncherException("%s is not built (%s is missing). Build it with ./mvnw install -DskipTests, or use ./sandbox run, which builds what changed."
                    .formatted(service.module(), projectRoot.relativize(jar)));
        }
        Readiness.requireFreePort(port, service.module(), "SANDBOX_" + service.database().toUpperCase(java.util.Locale.ROOT) + "_PORT");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = new LinkedHashMap<>(connection.serviceEnvironment(service));
        env.putAll(extraEnvironment);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return ManagedProcess.start(service.module(),
                List.of(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString()),
                env, jar.getParent(), logDirectory.resolve(service.module() + ".log"), StopSignal.TERM);
    }

    /** Waits until the service's readiness check (database, Keycloak discovery) answers 200. */
    public static void awaitHealthy(ManagedProcess process, int port) {
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        process.awaitReady(Duration.ofSeconds(120), () -> Readiness.httpOk(ready));
    }
}
