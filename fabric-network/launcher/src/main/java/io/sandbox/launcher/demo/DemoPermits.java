package io.sandbox.launcher.demo;

import io.sandbox.core.platform.PermitClient;
import io.sandbox.launcher.LauncherException;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo startups' permits, set on the regulator dashboard as a regulator would set them, so that their boundaries
 * become rules. The pilots' occasional large payments (see {@link TrafficSimulator}) cross the max single value.
 */
public final class DemoPermits {

    /** The largest single value the demo permits allow, in EUR; the simulator's large payments go above it. */
    public static final String MAX_SINGLE_VALUE = "25000.00";

    private DemoPermits() {
    }

    /** The demo permit of a startup: generous volume and customers, one asset type, a test window around today. */
    static Map<String, Object> permit(StartupSandbox startup, LocalDate today) {
        Map<String, Object> permit = new LinkedHashMap<>();
        permit.put("channel", startup.channelId());
        permit.put("mspId", startup.org().mspId());
        permit.put("maxCustomers", 500);
        permit.put("maxSingleValue", MAX_SINGLE_VALUE);
        permit.put("maxDailyVolume", "250000000.00");
        permit.put("currency", "EUR");
        permit.put("allowedAssetTypes", List.of("DEPOSIT_TOKEN"));
        permit.put("testWindowStart", today.minusDays(30).toString());
        permit.put("testWindowEnd", today.plusDays(150).toString());
        permit.put("reason", "Demo sandbox: permit granted at admission");
        return permit;
    }

    /**
     * Sets every demo startup's permit with {@code PUT /api/v1/startups/{name}/permit}.
     *
     * @param dashboard       the dashboard's base URL
     * @param regulatorToken  a regulator's access token
     */
    public static void apply(URI dashboard, String regulatorToken, List<StartupSandbox> startups) {
        Objects.requireNonNull(regulatorToken, "regulatorToken");
        PermitClient client = new PermitClient(dashboard, () -> regulatorToken);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (StartupSandbox startup : startups) {
            try {
                client.put(startup.name(), permit(startup, today));
            } catch (RuntimeException e) {
                throw new LauncherException("Could not set the demo permit: " + e.getMessage(), e);
            }
        }
    }
}
