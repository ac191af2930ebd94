package io.sandbox.launcher;

import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.devnet.Logging;
import io.sandbox.launcher.demo.DemoPermits;
import io.sandbox.launcher.demo.DemoSandbox;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.EnvironmentSettings;
import io.sandbox.launcher.environment.SandboxEnvironment;
import io.sandbox.launcher.environment.Secrets;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.environment.ServiceLauncher;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.keycloak.KeycloakTokens;
import io.sandbox.launcher.process.ManagedProcess;
import io.sandbox.launcher.process.Readiness;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The launcher's command line, called by {@code ./sandbox}.
 *
 * <ul>
 *   <li>{@code run [--reset]}: PostgreSQL, Keycloak, the Fabric devnet with the demo sandbox and its traffic, and
 *       both services; prints where to go; Ctrl-C stops all.</li>
 *   <li>{@code test [maven arguments]}: the shared test environment, then {@code ./mvnw verify} against it.</li>
 *   <li>{@code env}: only the test environment, for running tests from an IDE; Ctrl-C stops it.</li>
 * </ul>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Logging.install();
        int code;
        try {
            code = dispatch(args);
        } catch (LauncherException e) {
            Console.error("sandbox: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    private static int dispatch(String[] args) {
        Path project = Path.of(System.getProperty("sandbox.project", ".")).toAbsolutePath().normalize();
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = List.of(args).subList(Math.min(1, args.length), args.length);
        return switch (command) {
            case "run" -> run(project, rest);
            case "test" -> test(project, rest);
            case "env" -> env(project);
            default -> {
                Console.line("""
                        Usage: ./sandbox run [--reset]   start the platform (PostgreSQL, Keycloak, both services)
                               ./sandbox test [args]     run every test suite against a real PostgreSQL and Keycloak
                               ./sandbox env             start only the test environment (for an IDE), Ctrl-C stops it""");
                yield "help".equals(command) ? 0 : 2;
            }
        };
    }

    private static int run(Path project, List<String> options) {
        for (String option : options) {
            if (!"--reset".equals(option)) {
                throw new LauncherException("Unknown option '" + option + "' for run; the only one is --reset.");
            }
        }
        Map<String, String> env = System.getenv();
        EnvironmentSettings settings = EnvironmentSettings.forRun(project, options.contains("--reset"), env);
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        Map<Service, String> urls = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            int port = Integer.parseInt(env.getOrDefault("SANDBOX_" + service.database().toUpperCase(Locale.ROOT) + "_PORT",
                    Integer.toString(service.defaultPort())));
            ports.put(service, port);
            urls.put(service, "http://localhost:" + port);
        }
        Instant started = Instant.now();
        ServiceLauncher launcher = new ServiceLauncher(project, settings.directory().resolve("logs"));
        for (Service service : Service.values()) {
            if (!Files.isRegularFile(launcher.jar(service))) {
                throw new LauncherException(service.module() + " is not built; run ./mvnw install -DskipTests first (./sandbox run does).");
            }
            Readiness.requireFreePort(ports.get(service), service.module(),
                    "SANDBOX_" + service.database().toUpperCase(Locale.ROOT) + "_PORT");
        }
        // The devnet and the demo startups' channels come up while PostgreSQL and Keycloak start.
        Secrets secrets = Secrets.loadOrCreate(settings.directory().resolve("secrets.properties"));
        String masterKey = secrets.get(Secrets.FABRIC_MASTER_KEY);
        CompletableFuture<DemoSandbox> fabric = CompletableFuture.supplyAsync(() -> DemoSandbox.start(
                settings.directory().resolve("fabric"), KeyVault.fromBase64MasterSecret(masterKey), settings.reset()));
        SandboxEnvironment environment = SandboxEnvironment.start(settings, false, urls);
        EnvironmentConnection connection = environment.connection();
        connection.save(settings.directory().resolve("environment.properties"));
        DemoSandbox demo = await(fabric);
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "sandbox-devnet-stop"));
        Map<String, String> fabricEnvironment = Map.of(
                "SANDBOX_FABRIC_PROFILE", demo.network().profileFile().toString(),
                "SANDBOX_FABRIC_MASTER_KEY", masterKey,
                "SANDBOX_FABRIC_CHAINCODE_PACKAGE", demo.network().regulatorChaincodePackage().toString(),
                // onboarding tells the dashboard of each startup it provisions, with its permit
                "SANDBOX_DASHBOARD_URL", urls.get(Service.DASHBOARD));

        Instant servicesStarted = Instant.now();
        List<ManagedProcess> services = new ArrayList<>();
        for (Service service : Service.values()) {
            Console.step(service.module(), "starting on port " + ports.get(service));
            services.add(launcher.start(service, ports.get(service), connection, fabricEnvironment));
        }
        for (int i = 0; i < services.size(); i++) {
            Service service = Service.values()[i];
            ServiceLauncher.awaitHealthy(services.get(i), ports.get(service));
            Console.done(service.module(), "healthy", Duration.between(servicesStarted, Instant.now()));
        }
        Instant permitsStarted = Instant.now();
        try {
            DemoPermits.apply(URI.create(urls.get(Service.DASHBOARD)), KeycloakTokens.passwordGrant(
                    connection.realmUri(), "sandbox-cli", "regulator", connection.secret(Secrets.REGULATOR_PASSWORD)),
                    demo.startups());
            Console.done("Demo permits", "set on the dashboard for " + demo.startups().size() + " startups",
                    Duration.between(permitsStarted, Instant.now()));
        } catch (LauncherException e) {
            // the platform is still usable without them; the permits can be set on the dashboard
            Console.error("sandbox: the demo permits were not set: " + e.getMessage());
        }
        demo.startTraffic();
        printWelcome(settings, connection, urls, demo, Duration.between(started, Instant.now()));
        return waitForExit(services);
    }

    private static DemoSandbox await(CompletableFuture<DemoSandbox> fabric) {
        try {
            return fabric.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new LauncherException("The Fabric devnet did not start: " + cause.getMessage(), cause);
        }
    }

    private static void printWelcome(EnvironmentSettings settings, EnvironmentConnection connection,
            Map<Service, String> urls, DemoSandbox demo, Duration took) {
        String dashboard = urls.get(Service.DASHBOARD);
        String portal = urls.get(Service.ONBOARDING);
        String keycloak = connection.realmUri().resolve("/").toString();
        Console.line("""

                Sandbox is up (%.1f s).

                  Regulator dashboard   %s/dashboard
                  Startup portal        %s/portal
                  API (Swagger UI)      %s/q/swagger-ui   %s/q/swagger-ui
                  Metrics and health    %s/q/metrics      %s/q/health
                  Keycloak admin        %sadmin   (admin / %s)

                  Demo sandbox: %d startups on their own channels (%s), %.0f transactions/s each
                  Fabric connection profile (devnet): %s

                  Demo logins (realm 'sandbox'; generated for this machine, kept in %s):
                    regulator / %s
                    auditor   / %s
                    startup   / %s

                  Logs: %s
                Press Ctrl-C to stop everything.
                """.formatted(took.toMillis() / 1000.0, dashboard, portal, dashboard, portal, dashboard, dashboard,
                keycloak, connection.secret(Secrets.KEYCLOAK_ADMIN_PASSWORD),
                demo.startups().size(), String.join(", ", demo.startups().stream()
                        .map(FabricNetwork.StartupSandbox::channelId).toList()),
                DemoSandbox.TRANSACTIONS_PER_SECOND, demo.network().profileFile(),
                settings.directory().resolve("secrets.properties"),
                connection.secret(Secrets.REGULATOR_PASSWORD), connection.secret(Secrets.AUDITOR_PASSWORD),
                connection.secret(Secrets.STARTUP_PASSWORD), settings.directory().resolve("logs")));
    }

    /** Blocks until Ctrl-C (the shutdown hook stops everything) or until a service dies on its own. */
    private static int waitForExit(List<ManagedProcess> services) {
        while (true) {
            for (ManagedProcess service : services) {
                if (!service.isAlive()) {
                    Console.error("sandbox: %s stopped unexpectedly. Last lines of %s:%n%s"
                            .formatted(service.name(), service.logFile(), service.logTail(20)));
                    return 1;
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
    }

    private static int test(Path project, List<String> mavenArguments) {
        EnvironmentSettings settings = EnvironmentSettings.forTests(project, System.getenv());
        Map<Service, String> urls = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            urls.put(service, "http://localhost:" + service.defaultPort());
        }
        Path description = settings.directory().resolve("environment.properties");
        try (SandboxEnvironment environment = SandboxEnvironment.start(settings, true, urls)) {
            environment.connection().save(description);
            List<String> command = new ArrayList<>(List.of(project.resolve("mvnw").toString(), "-B", "-ntp", "verify"));
            command.addAll(mavenArguments);
            Console.step("Tests", String.join(" ", command));
            ProcessBuilder maven = new ProcessBuilder(command).directory(project.toFile()).inheritIO();
            maven.environment().put("SANDBOX_TEST_ENVIRONMENT", description.toString());
            maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process process = maven.start();
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
                return 130;
            }
        } catch (IOException e) {
            throw new LauncherException("Could not run Maven: " + e.getMessage(), e);
        }
    }

    private static int env(Path project) {
        EnvironmentSettings settings = EnvironmentSettings.forTests(project, System.getenv());
        Map<Service, String> urls = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            urls.put(service, "http://localhost:" + service.defaultPort());
        }
        Path description = settings.directory().resolve("environment.properties");
        SandboxEnvironment environment = SandboxEnvironment.start(settings, false, urls);
        environment.connection().save(description);
        Console.line("""

                Test environment is up. Run tests from your IDE or with ./mvnw verify after:
                  export SANDBOX_TEST_ENVIRONMENT=%s
                Press Ctrl-C to stop it.""".formatted(description));
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
        }
    }
}
