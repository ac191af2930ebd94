package io.sandbox.onboarding.provisioning;

import io.sandbox.onboarding.provisioning.StartupAdmission.Representative;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time from request to a provisioned sandbox on the devnet, through the pipeline's own Fabric steps (ORGANISATION,
 * PEER, CHANNEL, CHAINCODE) and state machine; the KEYCLOAK step needs the running service and is left out. The
 * network runs in its own JVM (as in the tests), whose heap and RSS are read after the last startup.
 *
 * <p>Argument: how many startups to provision one after another (default 50).
 */
public final class ProvisioningBench {

    private ProvisioningBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        FabricTestNetwork network = new FabricTestNetwork();
        Map<String, String> settings = network.start();
        try {
            FabricAccess fabric = new FabricAccess(config(settings));
            Map<UUID, byte[]> blocks = new ConcurrentHashMap<>();
            GenesisStore memory = new GenesisStore() {
                @Override
                public Optional<byte[]> find(UUID id) {
                    return Optional.ofNullable(blocks.get(id));
                }

                @Override
                public void keep(UUID id, byte[] block) {
                    blocks.put(id, block);
                }
            };
            FabricSteps steps = new FabricSteps(fabric, memory);
            ProvisioningMachine.Journal journal = new ProvisioningMachine.Journal() {
                @Override
                public long started(Provisioning p, ProvisioningStep step) {
                    return 0;
                }

                @Override
                public void finished(long attempt, String error) {
                    // timed by the bench itself
                }
            };
            ProvisioningMachine machine = new ProvisioningMachine((step, p) -> {
                switch (step) {
                    case ORGANISATION -> steps.organisation(p);
                    case PEER -> steps.peer(p);
                    case CHANNEL -> steps.channel(p);
                    case CHAINCODE -> steps.chaincode(p);
                    default -> throw new IllegalStateException("not benchmarked: " + step);
                }
            }, journal, Clock.systemUTC());

            List<Long> millis = new ArrayList<>();
            String run = Long.toString(System.currentTimeMillis() % 100000, 36);
            for (int i = 0; i < count; i++) {
                String slug = "bench" + run + "-" + i;
                Provisioning p = Provisioning.of(new StartupAdmission(UUID.randomUUID(), slug + " Ltd", slug,
                        List.of(new Representative("Bench Person", "bench@" + slug + ".example")), UUID.randomUUID()),
                        ProvisioningStatus.PENDING, Clock.systemUTC().instant());
                long start = System.nanoTime();
                while (p.currentStep != ProvisioningStep.KEYCLOAK && machine.advance(p)) {
                    // next Fabric step
                }
                long took = (System.nanoTime() - start) / 1_000_000;
                if (p.status == ProvisioningStatus.FAILED) {
                    throw new IllegalStateException(slug + " failed: " + p.lastError);
                }
                millis.add(took);
                System.out.printf("startup %2d %-20s %6d ms  load %s%n", i + 1, slug, took, load());
            }
            List<Long> sorted = millis.stream().sorted().toList();
            System.out.printf("%nfirst: %d ms; of %d: min %d, median %d, p95 %d, max %d ms; total %.1f s; load %s%n", millis.get(0),
                    count, sorted.get(0), sorted.get(count / 2), sorted.get(Math.min(count - 1, (int) Math.ceil(count * 0.95) - 1)),
                    sorted.get(count - 1), millis.stream().mapToLong(Long::longValue).sum() / 1000.0, load());
            System.out.println("devnet JVM after " + count + " channels: " + memory(network.pid()));
        } finally {
            network.stop();
        }
    }

    private static FabricConfig config(Map<String, String> settings) {
        return new FabricConfig() {
            @Override
            public Optional<Path> profile() {
                return Optional.of(Path.of(settings.get("sandbox.fabric.profile")));
            }

            @Override
            public Optional<String> masterKey() {
                return Optional.of(settings.get("sandbox.fabric.master-key"));
            }

            @Override
            public Optional<Path> chaincodePackage() {
                return Optional.of(Path.of(settings.get("sandbox.fabric.chaincode-package")));
            }
        };
    }

    /** The 1-minute load average. */
    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    /** RSS from /proc and the heap in use after a full GC (jcmd), of the network's JVM. */
    private static String memory(long pid) throws IOException, InterruptedException {
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process heap = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String info = new String(heap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        heap.waitFor();
        String used = info.lines().filter(l -> l.contains("used")).findFirst().orElse("?").strip();
        return rss + "; heap after GC: " + used;
    }

}
