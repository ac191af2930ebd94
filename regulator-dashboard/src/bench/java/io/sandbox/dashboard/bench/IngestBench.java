package io.sandbox.dashboard.bench;

import io.sandbox.dashboard.ingest.TestBlocks;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.store.IngestResult;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.flywaydb.core.Flyway;
import org.hyperledger.fabric.protos.common.Block;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Ingestion throughput: a synthesised block stream (endorser transactions of the sandbox chaincode with read-write
 * sets, a reporting event and two endorsements each) through parse, decode, verify, COPY and checkpoint into the real
 * PostgreSQL of the test environment, in a fresh database. Prints tx/s and blocks/s for decode alone, store alone and
 * the two pipelined (the production arrangement: a reader thread decodes, the writer stores runs of blocks).
 *
 * <p>System properties: {@code bench.blocks} (default 1200), {@code bench.txPerBlock} (100), {@code bench.runBlocks}
 * (blocks per database transaction, 50), {@code bench.passes} (2; the last is reported).
 */
public final class IngestBench {

    public static void main(String[] args) throws Exception {
        int blocks = Integer.getInteger("bench.blocks", 1200);
        int perBlock = Integer.getInteger("bench.txPerBlock", 100);
        int run = Integer.getInteger("bench.runBlocks", 50);
        int passes = Integer.getInteger("bench.passes", 2);

        EnvironmentConnection env = SandboxTestEnvironment.connection();
        String database = "dashboard_bench";
        try (Connection c = DriverManager.getConnection(env.jdbcUrl("postgres"), env.postgresUsername(),
                env.postgresPassword()); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
            s.execute("create database " + database);
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(env.jdbcUrl(database));
        pg.setUser(env.postgresUsername());
        pg.setPassword(env.postgresPassword());
        Flyway.configure().dataSource(pg).locations("classpath:db/core", "classpath:db/migration").load().migrate();
        CpuMeter meter = new CpuMeter(pg);
        IngestStore store = new IngestStore(meter.dataSource());
        BlockDecoder decoder = new BlockDecoder(new byte[32]);

        System.out.printf("synthesising %,d blocks x %d tx ...%n", blocks, perBlock);
        List<byte[]> stream = new ArrayList<>(blocks);
        for (Block b : TestBlocks.chain("bench", blocks, perBlock)) {
            stream.add(b.toByteArray());
        }
        long bytes = stream.stream().mapToLong(b -> b.length).sum();
        long txTotal = (long) blocks * perBlock;
        System.out.printf("stream: %,d blocks, %,d tx, %.1f MiB; %d blocks per DB transaction; %d cores%n", blocks,
                txTotal, bytes / 1048576.0, run, Runtime.getRuntime().availableProcessors());

        for (int pass = 1; pass <= passes; pass++) {
            String channel = "bench-" + pass;
            long t0 = System.nanoTime();
            CpuMeter.Sample c0 = meter.sample();
            List<DecodedBlock> decoded = new ArrayList<>(blocks);
            for (byte[] raw : stream) {
                decoded.add(decoder.decode(channel + "-split", Block.parseFrom(raw)));
            }
            long t1 = System.nanoTime();
            CpuMeter.Sample c1 = meter.sample();
            for (int i = 0; i < decoded.size(); i += run) {
                store.ingest(channel + "-split", decoded.subList(i, Math.min(decoded.size(), i + run)));
            }
            long t2 = System.nanoTime();
            CpuMeter.Sample c2 = meter.sample();
            report(pass, "parse+decode only (1 thread)", t1 - t0, c0, c1, blocks, txTotal);
            report(pass, "verify+COPY+checkpoint only", t2 - t1, c1, c2, blocks, txTotal);
            decoded = null;

            long t3 = System.nanoTime();
            CpuMeter.Sample c3 = meter.sample();
            long stored = pipeline(stream, decoder, store, channel, run);
            long t4 = System.nanoTime();
            CpuMeter.Sample c4 = meter.sample();
            if (stored != txTotal) {
                throw new IllegalStateException("stored " + stored + " of " + txTotal + " transactions");
            }
            report(pass, "end to end, pipelined", t4 - t3, c3, c4, blocks, txTotal);
        }
    }

    /** A reader thread parses and decodes into a bounded queue; this thread stores runs of up to {@code run} blocks. */
    private static long pipeline(List<byte[]> stream, BlockDecoder decoder, IngestStore store, String channel, int run)
            throws Exception {
        BlockingQueue<DecodedBlock> queue = new ArrayBlockingQueue<>(256);
        Thread reader = Thread.ofPlatform().name("bench-reader").start(() -> {
            try {
                for (byte[] raw : stream) {
                    queue.put(decoder.decode(channel, Block.parseFrom(raw)));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long tx = 0;
        int blocksStored = 0;
        List<DecodedBlock> batch = new ArrayList<>(run);
        while (blocksStored < stream.size()) {
            batch.clear();
            batch.add(queue.take());
            queue.drainTo(batch, run - 1);
            IngestResult result = store.ingest(channel, batch);
            blocksStored += result.blocks();
            tx += result.transactions();
        }
        reader.join();
        return tx;
    }

    /**
     * Wall time and throughput, plus the CPU seconds this JVM and the PostgreSQL backend spent: on a shared machine the
     * CPU figures bound what 2 dedicated cores would do: {@code tx / max((jvm + pg) / 2, pg)} (the backend is one
     * process; meaningful for the pipelined run, where the JVM's two stages overlap).
     */
    private static void report(int pass, String what, long nanos, CpuMeter.Sample before, CpuMeter.Sample after,
            int blocks, long tx) {
        double seconds = nanos / 1e9;
        double jvm = after.jvm() - before.jvm();
        double pg = after.pg() - before.pg();
        System.out.printf("pass %d  %-30s %6.2f s wall %,9.0f tx/s %,6.0f blocks/s | cpu: jvm %5.2f s, pg %5.2f s"
                + " -> bound on 2 dedicated cores %,7.0f tx/s%n", pass, what, seconds, tx / seconds, blocks / seconds,
                jvm, pg, tx / Math.max((jvm + pg) / 2, pg));
    }
}
