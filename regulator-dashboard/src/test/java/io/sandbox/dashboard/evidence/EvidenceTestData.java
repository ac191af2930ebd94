package io.sandbox.dashboard.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sandbox.dashboard.testing.StartupContracts;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.environment.Service;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.hyperledger.fabric.client.Contract;

/**
 * The evidence tests' pilot: a startup {@code evidence} provisioned on the devnet (channel {@code sandbox-evidence}),
 * registered in the dashboard's tables with a permit, a few real transactions submitted through fabric-gateway and
 * ingested, and an alert with a workflow transition and risk scores of our own (unique titles).
 */
final class EvidenceTestData {

    static final String STARTUP = "evidence";
    static final String CHANNEL = "sandbox-evidence";

    /** What was put on the ledger and in the tables. */
    record Pilot(List<String> txIds, Instant from, Instant to, String alertTitle) {
    }

    private static Pilot pilot;

    private EvidenceTestData() {
    }

    static synchronized Pilot pilot() throws Exception {
        if (pilot != null) {
            return pilot;
        }
        // Each test run's devnet has a new random master key, and the test database outlives runs: the signing key an
        // earlier run sealed cannot be opened now. Nothing has loaded it yet in this run (it is loaded at first use).
        execute("delete from evidence_signing_key");
        StartupSandbox sandbox = FabricTestNetwork.network().provision(STARTUP);
        // after the channel's configuration and chaincode blocks: the extract then starts after block 0 (an anchor)
        Instant from = Instant.now();
        assertThat(sandbox.channelId()).isEqualTo(CHANNEL);
        String run = UUID.randomUUID().toString().substring(0, 8);
        // ingestion may have registered the channel's startup already (without a display name)
        execute("insert into startup (name, channel, msp_id, display_name) values (?, ?, ?, ?) on conflict (name) do"
                + " update set msp_id = excluded.msp_id, display_name = excluded.display_name",
                STARTUP, CHANNEL, sandbox.org().mspId(), "Evidence Test Pilot");
        execute("""
                insert into permit (startup, version, max_customers, max_single_value, max_daily_volume, currency,
                    allowed_asset_types, test_window_start, test_window_end, changed_by, reason, changed_at)
                values (?, 1, 500, 10000, 50000, 'EUR', '{DEPOSIT_TOKEN}', date '2026-01-01', date '2027-12-31',
                    'regulator', 'evidence test', now() - interval '1 day') on conflict do nothing""", STARTUP);

        List<String> ids = new ArrayList<>();
        String alice = "ev-a-" + run;
        String bob = "ev-b-" + run;
        String asset = "ev-asset-" + run;
        StartupContracts.with(sandbox, contract -> {
            ids.add(submit(contract, "onboardCustomer", alice, "DE", "LOW"));
            ids.add(submit(contract, "onboardCustomer", bob, "FR", "MEDIUM"));
            ids.add(submit(contract, "issueAsset", asset, "DEPOSIT_TOKEN", "EUR", "1000.50", alice));
            ids.add(submit(contract, "transfer", asset, alice, bob, "40.25"));
            return null;
        });
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                count("select count(*) from ledger_transaction where channel = '" + CHANNEL + "' and tx_id in ('"
                        + String.join("','", ids) + "')") == ids.size());

        String title = "Evidence test alert " + run;
        long alertId;
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("""
                insert into alert (kind, severity, channel, tx_id, title, detail, rule_id, rule_version, startup, tx_ids,
                    trigger_values, status, status_changed_at)
                values ('RULE', 'HIGH', ?, ?, ?, 'transfer of 40.25 EUR above the test threshold', 'evidence-test', 1,
                    ?, ?, '{"amount":"40.25"}'::jsonb, 'ACKNOWLEDGED', now()) returning id""")) {
            s.setString(1, CHANNEL);
            s.setString(2, ids.get(3));
            s.setString(3, title);
            s.setString(4, STARTUP);
            s.setArray(5, c.createArrayOf("text", new Object[] {ids.get(3)}));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                alertId = r.getLong(1);
            }
        }
        execute("insert into alert_transition (alert_id, from_status, to_status, comment, changed_by) values (?, 'OPEN',"
                + " 'ACKNOWLEDGED', 'checked with the startup', 'regulator')", alertId);
        execute("insert into risk_snapshot (startup, computed_at, score, components) values (?, now(), 12.50, '{}'),"
                + " (?, now() + interval '1 second', 40.25, '{\"breaches\": 1}')", STARTUP, STARTUP);
        pilot = new Pilot(List.copyOf(ids), from, Instant.now().plusSeconds(120), title);
        return pilot;
    }

    private static String submit(Contract contract, String function, String... args) {
        try {
            var status = contract.newProposal(function).addArguments(args).build().endorse().submitAsync().getStatus();
            assertThat(status.isSuccessful()).as(function + " " + status.getCode()).isTrue();
            return status.getTransactionId();
        } catch (Exception e) {
            throw new IllegalStateException(function + " failed: " + e.getMessage(), e);
        }
    }

    static Connection connect() throws SQLException {
        EnvironmentConnection env = SandboxTestEnvironment.connection();
        return DriverManager.getConnection(env.jdbcUrl(Service.DASHBOARD.database()), env.postgresUsername(),
                env.postgresPassword());
    }

    static void execute(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.execute();
        }
    }

    static long count(String sql) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Writes a downloaded bundle under target/evidence and returns its path. */
    static Path save(byte[] zip, String name) {
        try {
            Path file = Path.of("target", "evidence", name);
            Files.createDirectories(file.getParent());
            Files.write(file, zip);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip's entries. */
    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
