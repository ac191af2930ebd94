package io.sandbox.core.evidence;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.sandbox.core.fabric.block.BlockHashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/** Synthetic Fabric blocks with correct hashes, and bundles built from them the way the dashboard builds them. */
final class EvidenceFixture {

    static final Instant T0 = Instant.parse("2026-03-01T09:30:00.123456789Z");

    private EvidenceFixture() {
    }

    /** A transfer's reporting event. */
    static String transferEvent(String txId, String amount, Instant at) {
        return "{\"schema\":\"sandbox.reporting/1\",\"type\":\"TRANSFER\",\"amount\":\"" + amount
                + "\",\"currency\":\"EUR\",\"assetType\":\"DEPOSIT_TOKEN\",\"assetId\":\"bond-1\",\"from\":\"cust-a\","
                + "\"to\":\"cust-b, \\\"q\\\"\",\"timestamp\":\"" + at + "\",\"txId\":\"" + txId + "\"}";
    }

    /** An endorser transaction envelope whose chaincode action carries {@code eventPayload}. */
    static ByteString envelope(String txId, Instant at, String eventPayload) {
        ChaincodeAction.Builder action = ChaincodeAction.newBuilder();
        if (eventPayload != null) {
            action.setEvents(ChaincodeEvent.newBuilder().setChaincodeId("sandbox").setTxId(txId)
                    .setEventName("sandbox.v1").setPayload(ByteString.copyFromUtf8(eventPayload)).build().toByteString());
        }
        Transaction tx = Transaction.newBuilder().addActions(TransactionAction.newBuilder()
                .setPayload(ChaincodeActionPayload.newBuilder().setAction(ChaincodeEndorsedAction.newBuilder()
                        .setProposalResponsePayload(ProposalResponsePayload.newBuilder()
                                .setExtension(action.build().toByteString()).build().toByteString()))
                        .build().toByteString())).build();
        ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE).setTxId(txId)
                .setChannelId("sandbox-acme")
                .setTimestamp(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano())).build();
        Payload payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(header.toByteString()))
                .setData(tx.toByteString()).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).setSignature(ByteString.copyFrom(new byte[70]))
                .build().toByteString();
    }

    /** A config-like envelope (no transaction id, no event). */
    static ByteString configEnvelope() {
        ChannelHeader header = ChannelHeader.newBuilder().setType(HeaderType.CONFIG_VALUE).setChannelId("sandbox-acme").build();
        return Envelope.newBuilder().setPayload(Payload.newBuilder().setHeader(Header.newBuilder()
                .setChannelHeader(header.toByteString())).setData(ByteString.copyFromUtf8("config")).build().toByteString())
                .build().toByteString();
    }

    static Block block(Block previous, List<ByteString> envelopes, List<TxValidationCode> codes) {
        BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        BlockHeader header = BlockHeader.newBuilder().setNumber(previous == null ? 0 : previous.getHeader().getNumber() + 1)
                .setPreviousHash(previous == null ? ByteString.EMPTY
                        : ByteString.copyFrom(BlockHashes.headerHash(previous.getHeader())))
                .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))).build();
        byte[] filter = new byte[codes.size()];
        for (int i = 0; i < filter.length; i++) {
            filter[i] = (byte) codes.get(i).getNumber();
        }
        BlockMetadata metadata = BlockMetadata.newBuilder().addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                .addMetadata(ByteString.copyFrom(filter)).addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY).build();
        return Block.newBuilder().setHeader(header).setData(data).setMetadata(metadata).build();
    }

    /** Block 0 (config), then {@code count - 1} blocks of {@code perBlock} transfers; every third one invalid. */
    static List<Block> chain(int count, int perBlock) {
        List<Block> blocks = new ArrayList<>();
        Block previous = block(null, List.of(configEnvelope()), List.of(TxValidationCode.VALID));
        blocks.add(previous);
        int n = 0;
        for (int b = 1; b < count; b++) {
            List<ByteString> envelopes = new ArrayList<>();
            List<TxValidationCode> codes = new ArrayList<>();
            for (int t = 0; t < perBlock; t++, n++) {
                String txId = "tx-" + b + "-" + t;
                Instant at = T0.plusSeconds(n);
                envelopes.add(envelope(txId, at, n % 5 == 4 ? null : transferEvent(txId, (n + 1) + ".50", at)));
                codes.add(n % 3 == 2 ? TxValidationCode.MVCC_READ_CONFLICT : TxValidationCode.VALID);
            }
            previous = block(previous, envelopes, codes);
            blocks.add(previous);
        }
        return blocks;
    }

    /**
     * A bundle of {@code blocks[first..]} (anchor = the header of {@code blocks[first - 1]} unless first is 0), the
     * CSV and JSON derived from the blocks (the dashboard derives them from its database).
     */
    static Map<String, byte[]> bundle(List<Block> blocks, int first, ManifestSigner signer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Block> extract = blocks.subList(first, blocks.size());
        try (BundleWriter writer = new BundleWriter(bytes)) {
            if (first > 0) {
                try (OutputStream out = writer.entry(BundleFormat.ANCHOR_HEADER)) {
                    out.write(blocks.get(first - 1).getHeader().toByteArray());
                }
            }
            long count = 0;
            for (Block b : extract) {
                try (OutputStream out = writer.entry(BundleFormat.blockPath(b.getHeader().getNumber()))) {
                    b.writeTo(out);
                }
                count += b.getData().getDataCount();
            }
            try (OutputStream out = writer.entry(BundleFormat.TRANSACTIONS_CSV)) {
                out.write(BundleFormat.csvHeader().getBytes(StandardCharsets.UTF_8));
                for (Block b : extract) {
                    for (TransactionRecord r : LedgerExtract.transactions(b)) {
                        out.write(r.csvLine().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            try (OutputStream out = writer.entry(BundleFormat.REPORT_JSON)) {
                StringBuilder json = new StringBuilder("{\"format\":\"sandbox.evidence/1\",\"transactions\":[");
                boolean firstRow = true;
                for (Block b : extract) {
                    for (TransactionRecord r : LedgerExtract.transactions(b)) {
                        json.append(firstRow ? "" : ",");
                        firstRow = false;
                        r.writeJson(json);
                    }
                }
                json.append("],\"summary\":{\"transactions\":").append(count).append("}}");
                out.write(json.toString().getBytes(StandardCharsets.UTF_8));
            }
            try (OutputStream out = writer.entry(BundleFormat.REPORT_PDF)) {
                out.write("%PDF-1.7 stand-in for the report\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
            }
            Block last = extract.get(extract.size() - 1);
            Manifest manifest = new Manifest("acme", "sandbox-acme", "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z",
                    "2026-03-02T08:00:00Z", "auditor", (long) first, last.getHeader().getNumber(),
                    first == 0 ? null : (long) first - 1, BlockHashes.hex(BlockHashes.headerHash(last.getHeader())),
                    count, List.of(), null);
            writer.finish(manifest, signer);
        }
        return read(bytes.toByteArray());
    }

    /** A zip's entries in order. */
    static Map<String, byte[]> read(byte[] zip) throws IOException {
        Path file = Files.createTempFile("bundle", ".zip");
        try {
            Files.write(file, zip);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (ZipFile z = new ZipFile(file.toFile())) {
                for (ZipEntry e : java.util.Collections.list(z.entries())) {
                    entries.put(e.getName(), z.getInputStream(e).readAllBytes());
                }
            }
            return entries;
        } finally {
            Files.delete(file);
        }
    }

    /** Writes entries as a zip file. */
    static Path write(Map<String, byte[]> entries, Path file) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    /**
     * The attacker's move: recompute the manifest's file list (sizes, hashes, order) over {@code entries}, adjust it
     * with {@code edit}, and either re-sign it with {@code signer} or keep the original signature.
     */
    static Map<String, byte[]> relist(Map<String, byte[]> entries, java.util.function.UnaryOperator<Manifest> edit,
            ManifestSigner signer) {
        Manifest original = Manifest.parse(entries.get(BundleFormat.MANIFEST));
        List<Manifest.FileEntry> files = new ArrayList<>();
        entries.forEach((path, content) -> {
            if (!path.equals(BundleFormat.MANIFEST)) {
                files.add(new Manifest.FileEntry(path, content.length, BundleWriter.hex(BundleWriter.sha256().digest(content))));
            }
        });
        Manifest relisted = edit.apply(original.withFiles(files));
        Manifest result = signer == null ? relisted.withSignature(original.signature()) : signer.sign(relisted);
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        out.remove(BundleFormat.MANIFEST);
        out.put(BundleFormat.MANIFEST, result.toBytes());
        return out;
    }
}
