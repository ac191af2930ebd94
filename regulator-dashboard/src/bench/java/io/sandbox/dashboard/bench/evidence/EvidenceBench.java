package io.sandbox.dashboard.bench.evidence;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.sandbox.core.evidence.BundleVerification;
import io.sandbox.core.evidence.BundleVerifier;
import io.sandbox.core.evidence.BundleWriter;
import io.sandbox.core.evidence.EvidenceKeys;
import io.sandbox.dashboard.evidence.BlockSource;
import io.sandbox.dashboard.evidence.BundleExport;
import io.sandbox.dashboard.evidence.ExportScope;
import io.sandbox.dashboard.ingest.TestBlocks;
import io.sandbox.dashboard.ingest.decode.BlockDecoder;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.store.IngestStore;
import io.sandbox.launcher.environment.EnvironmentConnection;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Evidence export and verification speed (docs/evidence.md "Benchmark").
 *
 * <p>{@code prepare}: synthesises {@code bench.blocks} blocks x {@code bench.txPerBlock} endorser transactions
 * (transfers with a {@code sandbox.reporting/1} event, one second apart, every 50th an MVCC conflict) after a block 0,
 * ingests them with the real {@link IngestStore} into a fresh database {@code dashboard_evidence_bench}, and records
 * the serialized blocks in {@code bench.blocksFile}. {@code export}: exports blocks 1..N (the anchor is block 0) with
 * {@link BundleExport} over a {@link BlockSource} reading the recorded blocks, to {@code bench.bundle}; prints the
 * time to the last byte, the heap's peak and the process's peak RSS; then verifies the bundle with
 * {@link BundleVerifier} and prints blocks/s, tx/s and MB/s. Run {@code export} with a small heap (-Xmx256m).
 */
public final class EvidenceBench {

    private static final String DATABASE = "dashboard_evidence_bench";
    private static final String CHANNEL = "sandbox-benchco";
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "export" : args[0];
        Path blocksFile = Path.of(System.getProperty("bench.blocksFile", "/tmp/evidence-bench.blocks"));
        switch (mode) {
            case "prepare" -> prepare(blocksFile);
            case "export" -> export(blocksFile, Path.of(System.getProperty("bench.bundle", "/tmp/evidence-bench.zip")));
            default -> throw new IllegalArgumentException("mode: prepare | export");
        }
    }

    private static PGSimpleDataSource dataSource() {
        EnvironmentConnection env = SandboxTestEnvironment.connection();
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setUrl(env.jdbcUrl(DATABASE));
        pg.setUser(env.postgresUsername());
        pg.setPassword(env.postgresPassword());
        return pg;
    }

    private static void prepare(Path blocksFile) throws Exception {
        int blocks = Integer.getInteger("bench.blocks", 1000);
        int perBlock = Integer.getInteger("bench.txPerBlock", 100);
        EnvironmentConnection env = SandboxTestEnvironment.connection();
        try (Connection c = DriverManager.getConnection(env.jdbcUrl("postgres"), env.postgresUsername(),
                env.postgresPassword()); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DATABASE + " with (force)");
            s.execute("create database " + DATABASE);
        }
        PGSimpleDataSource pg = dataSource();
        Flyway.configure().dataSource(pg).locations("classpath:db/core", "classpath:db/migration").load().migrate();
        try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into startup (name, channel, msp_id, display_name) values ('benchco', '" + CHANNEL
                    + "', 'AcmeMSP', 'Bench Co')");
        }
        IngestStore store = new IngestStore(pg);
        BlockDecoder decoder = new BlockDecoder(new byte[32]);
        System.out.printf("synthesising and ingesting %,d blocks x %d tx (+ block 0) ...%n", blocks, perBlock);
        long t0 = System.nanoTime();
        long bytes = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(blocksFile),
                1 << 20))) {
            Block previous = TestBlocks.block(null, List.of(transfer("genesis-tx", 0, START.minusSeconds(86400))
                    .toByteString()), List.of(TxValidationCode.VALID));
            List<DecodedBlock> run = new ArrayList<>();
            bytes += write(out, previous);
            run.add(decoder.decode(CHANNEL, previous));
            int n = 0;
            for (int b = 1; b <= blocks; b++) {
                List<ByteString> envelopes = new ArrayList<>(perBlock);
                List<TxValidationCode> codes = new ArrayList<>(perBlock);
                for (int t = 0; t < perBlock; t++, n++) {
                    envelopes.add(transfer("bench-" + b + "-" + t, n, START.plusSeconds(n)).toByteString());
                    codes.add(n % 50 == 49 ? TxValidationCode.MVCC_READ_CONFLICT : TxValidationCode.VALID);
                }
                previous = TestBlocks.block(previous, envelopes, codes);
                bytes += write(out, previous);
                run.add(decoder.decode(CHANNEL, previous));
                if (run.size() == 50) {
                    store.ingest(CHANNEL, run);
                    run.clear();
                }
            }
            if (!run.isEmpty()) {
                store.ingest(CHANNEL, run);
            }
        }
        System.out.printf("prepared %,d tx in %.1f s; %,d bytes of blocks in %s%n", (long) blocks * perBlock,
                (System.nanoTime() - t0) / 1e9, bytes, blocksFile);
    }

    private static long write(DataOutputStream out, Block block) throws IOException {
        byte[] raw = block.toByteArray();
        out.writeInt(raw.length);
        out.write(raw);
        return raw.length;
    }

    /** A transfer of the sandbox chaincode with its reporting event, stamped {@code at}. */
    private static Envelope transfer(String txId, int n, Instant at) {
        String amount = (n % 9000 + 1) + "." + String.format("%02d", n % 100);
        String event = "{\"schema\":\"sandbox.reporting/1\",\"type\":\"TRANSFER\",\"amount\":\"" + amount
                + "\",\"currency\":\"" + (n % 3 == 0 ? "GBP" : "EUR") + "\",\"assetType\":\"DEPOSIT_TOKEN\","
                + "\"assetId\":\"bond-" + (n % 40) + "\",\"from\":\"cust-" + (n % 500) + "\",\"to\":\"cust-"
                + ((n + 7) % 500) + "\",\"timestamp\":\"" + at + "\",\"txId\":\"" + txId + "\"}";
        String key = "\u0000balance\u0000bond-" + (n % 40) + "\u0000cust-" + (n % 500) + "\u0000";
        Envelope envelope = TestBlocks.endorserTransaction(txId, "sandbox",
                List.of("transfer", "bond-" + (n % 40), "cust-" + (n % 500), "cust-" + ((n + 7) % 500), amount),
                Map.of("sandbox", List.of(key)), Map.of("sandbox", List.of(key)), "sandbox.v1", event,
                List.of("AcmeMSP", "RegulatorMSP"));
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).toBuilder()
                    .setChannelId(CHANNEL)
                    .setTimestamp(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())).build();
            Payload stamped = payload.toBuilder().setHeader(Header.newBuilder(payload.getHeader())
                    .setChannelHeader(header.toByteString())).build();
            return envelope.toBuilder().setPayload(stamped.toByteString()).build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recorded blocks, read one at a time from the file. */
    private record FileBlockSource(Path file) implements BlockSource {
        @Override
        public boolean available() {
            return true;
        }

        @Override
        public void blocks(String channel, long first, long last, Sink sink) throws IOException {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
                while (true) {
                    int length;
                    try {
                        length = in.readInt();
                    } catch (EOFException e) {
                        return;
                    }
                    byte[] raw = in.readNBytes(length);
                    Block block = Block.parseFrom(raw);
                    long number = block.getHeader().getNumber();
                    if (number >= first && number <= last) {
                        sink.accept(block);
                    }
                    if (number >= last) {
                        return;
                    }
                }
            }
        }
    }

    private static void export(Path blocksFile, Path bundle) throws Exception {
        int passes = Integer.getInteger("bench.passes", 2);
        PGSimpleDataSource pg = dataSource();
        EvidenceKeys keys = EvidenceKeys.generate("Bench platform", Instant.now());
        BundleExport export = new BundleExport(pg, new FileBlockSource(blocksFile), keys.signer());
        System.out.printf("max heap %,d MiB%n", Runtime.getRuntime().maxMemory() >> 20);
        for (int pass = 1; pass <= passes; pass++) {
            resetPeaks();
            long t0 = System.nanoTime();
            ExportScope scope;
            try (Connection c = pg.getConnection()) {
                scope = ExportScope.resolve(c, "benchco", START, START.plusSeconds(86400 * 365L), "bench");
            }
            BundleWriter.Finished finished;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(bundle), 1 << 16)) {
                finished = export.write(scope, out);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long peakHeap = peakHeap();
            System.gc();
            long afterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("export pass %d: %,d tx, blocks %d..%d, %,d bytes zip in %.2f s (%,.0f tx/s); heap peak"
                    + " %,d MiB (incl. garbage), after GC %,d MiB; VmHWM %s%n", pass, finished.manifest().transactions(),
                    scope.firstBlock(), scope.lastBlock(), Files.size(bundle), seconds,
                    finished.manifest().transactions() / seconds, peakHeap >> 20, afterGc >> 20, vmHwm());
        }
        long content = 0;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(bundle.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                content += e.getSize();
            }
        }
        for (int pass = 1; pass <= passes; pass++) {
            long t0 = System.nanoTime();
            BundleVerification result = BundleVerifier.verify(bundle, keys.root().certificate());
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!result.valid()) {
                throw new IllegalStateException("the bundle does not verify: " + result.failure().get());
            }
            System.out.printf("verify pass %d: %,d files, %,d blocks, %,d tx in %.2f s: %,.0f blocks/s, %,.0f tx/s,"
                    + " %.1f MB/s of zip, %.1f MB/s of content (%,d bytes uncompressed)%n", pass, result.files(),
                    result.blocks(), result.transactions(), seconds, result.blocks() / seconds,
                    result.transactions() / seconds, Files.size(bundle) / 1e6 / seconds, content / 1e6 / seconds, content);
        }
        System.out.printf("VmHWM at the end %s%n", vmHwm());
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static String vmHwm() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.substring(6).strip()).findFirst().orElse("?");
    }
}
