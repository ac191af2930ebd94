package io.sandbox.dashboard.bench;

import io.sandbox.core.rules.BuiltInRules;
import io.sandbox.core.rules.CompiledRule;
import io.sandbox.core.rules.Permit;
import io.sandbox.core.rules.PermitRules;
import io.sandbox.core.rules.RuleCompiler;
import io.sandbox.core.rules.RuleDefinition;
import io.sandbox.core.rules.RuleMode;
import io.sandbox.core.rules.RuleSet;
import io.sandbox.core.rules.Severity;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.dashboard.alerts.HitWriter;
import io.sandbox.dashboard.ingest.TestBlocks;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import io.sandbox.dashboard.ingest.store.IngestResult;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.dashboard.ingest.store.RunObserver;
import io.sandbox.dashboard.rules.BacktestService;
import io.sandbox.dashboard.rules.ChannelSurveillance;
import io.sandbox.dashboard.rules.RuleViews;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.flywaydb.core.Flyway;
import org.hyperledger.fabric.protos.common.Block;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Rules in ingestion and backtests (docs/alerts.md). Part 1: the ingestion bench's recorded stream (synthesised
 * {@code onboardCustomer} blocks, see {@link IngestBench}) through the pipelined production arrangement, alternately
 * without rules and with 50 ACTIVE rules evaluated (4 built-in, 5 permit rules, 41 of the regulator's over events,
 * windows and the transaction) with alerts, test hits and risk snapshots written in the same database transactions.
 * Rules are evaluated on the reader thread ({@code RunObserver.decoded}), as in production.
 * Part 2: a backtest of a draft rule over {@code bench.backtestRows} (1,000,000) stored transactions generated in the
 * database. Fresh database {@code dashboard_rules_bench}, dropped at the end.
 *
 * <p>System properties: {@code bench.blocks} (600), {@code bench.txPerBlock} (100), {@code bench.runBlocks} (50),
 * {@code bench.passes} (3), {@code bench.rules} (50), {@code bench.backtestRows} (1,000,000).
 */
public final class RulesBench {

    public static void main(String[] args) throws Exception {
        int blocks = Integer.getInteger("bench.blocks", 600);
        int perBlock = Integer.getInteger("bench.txPerBlock", 100);
        int run = Integer.getInteger("bench.runBlocks", 50);
        int passes = Integer.getInteger("bench.passes", 3);
        int ruleCount = Integer.getInteger("bench.rules", 50);
        int backtestRows = Integer.getInteger("bench.backtestRows", 1_000_000);

        EnvironmentConnection env = SandboxTestEnvironment.connection();
        String database = "dashboard_rules_bench";
        try (Connection c = DriverManager.getConnection(env.jdbcUrl("postgres"), env.postgresUsername(),
                env.postgresPassword()); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database);
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(env.jdbcUrl(database));
        pg.setUser(env.postgresUsername());
        pg.setPassword(env.postgresPassword());
        try {
            Flyway.configure().dataSource(pg).locations("classpath:db/core", "classpath:db/migration").load().migrate();
            CpuMeter meter = new CpuMeter(pg);
            IngestStore store = new IngestStore(meter.dataSource());
            BlockDecoder decoder = new BlockDecoder(new byte[32]);
            System.out.printf("synthesising %,d blocks x %d tx ...%n", blocks, perBlock);
            List<byte[]> stream = new ArrayList<>(blocks);
            for (Block b : TestBlocks.chain("bench", blocks, perBlock)) {
                stream.add(b.toByteArray());
            }
            Set<String> msps = new HashSet<>();
            for (DecodedTransaction tx : decoder.decode("probe", Block.parseFrom(stream.get(1))).transactions()) {
                msps.addAll(tx.endorserMsps());
                msps.add(tx.creatorMsp());
            }
            long txTotal = (long) blocks * perBlock;
            System.out.printf("stream: %,d blocks, %,d tx; %d blocks per DB transaction; %d cores; %d rules%n", blocks,
                    txTotal, run, Runtime.getRuntime().availableProcessors(), ruleCount);

            for (int pass = 1; pass <= passes && !Boolean.getBoolean("bench.backtestOnly"); pass++) {
                for (boolean rules : new boolean[] {false, true}) {
                    String channel = "sandbox-bench" + pass + (rules ? "r" : "n");
                    StartupProfile profile = profile(channel, msps);
                    RuleSet set = rules ? ruleSet(profile, ruleCount) : RuleSet.of(List.of());
                    long[] alerts = {0};
                    ChannelSurveillance observer = new ChannelSurveillance(channel, () -> set, () -> profile,
                            new HitWriter(false), (raised, startup, risk) -> alerts[0] += raised.size());
                    long t0 = System.nanoTime();
                    CpuMeter.Sample c0 = meter.sample();
                    Run result = pipeline(stream, decoder, store, channel, run, rules ? observer : RunObserver.NONE);
                    CpuMeter.Sample c1 = meter.sample();
                    long t1 = System.nanoTime();
                    if (result.transactions() != txTotal) {
                        throw new IllegalStateException("stored " + result.transactions() + " of " + txTotal);
                    }
                    double seconds = (t1 - t0) / 1e9;
                    double jvm = c1.jvm() - c0.jvm();
                    double pgCpu = c1.pg() - c0.pg();
                    double writer = c1.thread() - c0.thread();
                    // the reader and the writer are one thread each, the backend one process: each bounds the rate
                    double bound = txTotal / Math.max(Math.max((jvm + pgCpu) / 2, pgCpu),
                            Math.max(result.readerCpu(), writer));
                    System.out.printf("pass %d  %-16s %6.2f s %,7.0f tx/s | cpu s: reader %.2f, writer %.2f, jvm %.2f,"
                            + " pg %.2f -> on 2 dedicated cores %,7.0f tx/s (alerts: %d, eval errors: %d)%n", pass,
                            rules ? "with " + set.size() + " rules" : "without rules", seconds, txTotal / seconds,
                            result.readerCpu(), writer, jvm, pgCpu, bound, alerts[0], observer.errors());
                }
            }
            backtest(pg, backtestRows);
        } finally {
            try (Connection c = DriverManager.getConnection(env.jdbcUrl("postgres"), env.postgresUsername(),
                    env.postgresPassword()); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + database + " with (force)");
            }
        }
    }

    private static StartupProfile profile(String channel, Set<String> msps) {
        Permit permit = new Permit(1_000_000, new BigDecimal("100000"), new BigDecimal("100000000"), "EUR",
                List.of("TOKEN"), LocalDate.of(2020, 1, 1), LocalDate.of(2099, 12, 31));
        return new StartupProfile(channel.substring("sandbox-".length()), channel, msps.iterator().next(), permit,
                Set.of("sandbox", "_lifecycle", "cscc", "qscc", "lscc"), msps);
    }

    /** Built-in and permit rules plus generated ones of five shapes, up to {@code count}. */
    static RuleSet ruleSet(StartupProfile profile, int count) {
        List<RuleDefinition> all = new ArrayList<>(BuiltInRules.all());
        all.addAll(PermitRules.derive(profile, 1));
        for (int i = 0; all.size() < count; i++) {
            String expression = switch (i % 5) {
                case 0 -> "event.type == 'PAYMENT' && event.amountMinor > " + (1000 + i) * 100;
                case 1 -> "window.startup.minute.count > " + (100_000 + i);
                case 2 -> "event.present && window.customer.hour.sum > " + (1_000_000_000 + i) + ".0";
                case 3 -> "tx.function == 'fn" + i + "' && tx.valid";
                default -> "event.type == 'CUSTOMER_ONBOARDED' && event.jurisdiction == 'X" + i + "'";
            };
            all.add(new RuleDefinition("user:bench-" + i, 1, "bench rule " + i, Severity.MEDIUM, RuleMode.ACTIVE,
                    Set.of(), expression));
        }
        RuleCompiler compiler = new RuleCompiler();
        List<CompiledRule> compiled = all.stream().limit(count).map(compiler::compile).toList();
        return RuleSet.of(compiled);
    }

    /** A pipelined run: transactions stored, and the reader thread's CPU seconds. */
    private record Run(long transactions, double readerCpu) {
    }

    private static Run pipeline(List<byte[]> stream, BlockDecoder decoder, IngestStore store, String channel, int run,
            RunObserver observer) throws Exception {
        BlockingQueue<DecodedBlock> queue = new ArrayBlockingQueue<>(256);
        double[] readerCpu = new double[1];
        Thread reader = Thread.ofPlatform().name("bench-reader").start(() -> {
            double start = CpuMeter.threadCpu();
            try {
                for (byte[] raw : stream) {
                    DecodedBlock block = decoder.decode(channel, Block.parseFrom(raw));
                    observer.decoded(block);
                    queue.put(block);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            readerCpu[0] = CpuMeter.threadCpu() - start;
        });
        long tx = 0;
        int blocksStored = 0;
        List<DecodedBlock> batch = new ArrayList<>(run);
        while (blocksStored < stream.size()) {
            batch.clear();
            batch.add(queue.take());
            queue.drainTo(batch, run - 1);
            IngestResult result = store.ingest(channel, batch, observer);
            blocksStored += result.blocks();
            tx += result.transactions();
        }
        reader.join();
        return new Run(tx, readerCpu[0]);
    }

    private static void backtest(PGSimpleDataSource pg, int rows) throws Exception {
        String channel = "sandbox-backtest";
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        System.out.printf("generating %,d stored transactions ...%n", rows);
        long g0 = System.nanoTime();
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into ledger_transaction (channel, block_number, tx_index, tx_id, tx_timestamp, "
                    + "header_type, creator_msp, endorser_msps, chaincode, function, validation_code, event_name, "
                    + "reporting_events) select '" + channel + "', i / 10, i % 10, md5(i::text), "
                    + "timestamptz '" + start + "' + i * interval '50 milliseconds', 'ENDORSER_TRANSACTION', "
                    + "'BacktestMSP', array['BacktestMSP'], 'sandbox', 'payment', "
                    + "case when i % 97 = 0 then 'MVCC_READ_CONFLICT' else 'VALID' end, 'sandbox.v1', "
                    + "jsonb_build_array(jsonb_build_object('type', 'PAYMENT', 'amount', ((i::bigint * 7919) % 500000) / 100.0, "
                    + "'currency', 'EUR', 'paymentId', 'p' || i, 'from', 'c' || (i % 5000), 'to', 'c' || ((i::bigint * 31) % 5000), "
                    + "'timestamp', to_char((timestamptz '" + start + "' + i * interval '50 milliseconds') at time zone 'UTC', "
                    + "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))) from generate_series(0, " + (rows - 1) + ") i");
            s.execute("analyze ledger_transaction");
        }
        System.out.printf("generated in %.1f s%n", (System.nanoTime() - g0) / 1e9);
        Permit permit = new Permit(100_000, new BigDecimal("4000"), new BigDecimal("10000000"), "EUR", List.of("TOKEN"),
                LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31));
        StartupProfile profile = new StartupProfile("backtest", channel, "BacktestMSP", permit,
                Set.of("sandbox"), Set.of("BacktestMSP"));
        CompiledRule draft = new RuleCompiler().compile(new RuleDefinition("draft", 0, "draft", Severity.HIGH,
                RuleMode.ACTIVE, Set.of(), "event.amountMinor > permit.maxSingleValueMinor "
                        + "&& window.customer.hour.count > 10 && window.startup.day.sum > 1000000.0"));
        for (int pass = 1; pass <= 2; pass++) {
            long t0 = System.nanoTime();
            RuleViews.BacktestResult result = BacktestService.run(pg, draft, channel, profile, start,
                    start.plusSeconds(10L * 365 * 86400), 100);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("backtest pass %d: %,d scanned, %,d hits, %d errors in %.2f s = %,.0f tx/s%n", pass,
                    result.scanned(), result.hits(), result.errors(), seconds, result.scanned() / seconds);
        }
    }
}
