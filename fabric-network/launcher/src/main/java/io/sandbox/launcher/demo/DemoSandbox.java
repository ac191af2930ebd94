package io.sandbox.launcher.demo;

import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.launcher.Console;
import io.sandbox.launcher.fabric.FabricNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import io.sandbox.launcher.postgres.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run command's demo sandbox: the embedded Fabric network with three admitted startups, each with its own
 * organisation, peer and channel, and their pilot traffic once the platform is up.
 */
public final class DemoSandbox implements AutoCloseable {

    /** The demo startups; {@code demo-startup} is the Keycloak demo user's tenant. */
    public static final List<String> STARTUPS = List.of("demo-startup", "acme-pay", "greenleaf-credit");

    /** Pace of each demo startup's pilot. */
    public static final double TRANSACTIONS_PER_SECOND = 2.0;

    private final FabricNetwork network;
    private final List<StartupSandbox> startups;
    private TrafficSimulator traffic;

    private DemoSandbox(FabricNetwork network, List<StartupSandbox> startups) {
        this.network = network;
        this.startups = startups;
    }

    /** Starts the network under {@code home} (wiped first with {@code reset}) and provisions the demo startups. */
    public static DemoSandbox start(Path home, KeyVault vault, boolean reset) {
        Instant started = Instant.now();
        if (reset) {
            try {
                FileTrees.deleteRecursively(home);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot wipe " + home, e);
            }
        }
        Console.step("Fabric devnet", "starting (orderer, regulator peer, sandbox chaincode)");
        FabricNetwork network = FabricNetwork.start(home, vault);
        try {
            List<StartupSandbox> startups = new ArrayList<>();
            for (String name : STARTUPS) {
                startups.add(network.provision(name));
            }
            Console.done("Fabric devnet", "up with %d startup channels".formatted(startups.size()),
                    Duration.between(started, Instant.now()));
            return new DemoSandbox(network, List.copyOf(startups));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The network the services connect to. */
    public FabricNetwork network() {
        return network;
    }

    /** The demo startups' sandboxes. */
    public List<StartupSandbox> startups() {
        return startups;
    }

    /** Starts the pilots' traffic. */
    public synchronized void startTraffic() {
        if (traffic == null) {
            traffic = TrafficSimulator.start(startups, TRANSACTIONS_PER_SECOND);
        }
    }

    /** Stops the traffic, then the network. */
    @Override
    public synchronized void close() {
        if (traffic != null) {
            traffic.close();
        }
        network.close();
    }
}
