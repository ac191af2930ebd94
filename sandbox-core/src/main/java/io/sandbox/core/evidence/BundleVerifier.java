package io.sandbox.core.evidence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ChainAnchor;
import io.sandbox.core.fabric.block.ChainVerification;
import io.sandbox.core.fabric.block.ChainVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Checks an evidence bundle offline, trusting nothing the platform says that cannot be recomputed, in this order:
 * the manifest's structure; its signature against the included chain (and the pinned root, if given); every listed
 * file's size and SHA-256, with no file missing or unlisted; the anchor header and each block's number, data hash and
 * previous-hash link (Fabric's own hash chain); and every transaction of the blocks against {@code transactions.csv}
 * and {@code report.json}, both ways. It stops at the first failure. Blocks are read one at a time, and the CSV and
 * JSON are streamed, so memory stays bounded.
 */
public final class BundleVerifier {

    private static final long MAX_MANIFEST_BYTES = 64L << 20;
    private static final long MAX_BLOCK_BYTES = 512L << 20;

    private final X509Certificate trustRoot;
    private final List<String> verified = new ArrayList<>();
    private int files;
    private long blocks;
    private long transactions;
    private String lastHeaderHash = "";
    private String rootFingerprint = "";

    private BundleVerifier(X509Certificate trustRoot) {
        this.trustRoot = trustRoot;
    }

    /**
     * Verifies the bundle at {@code bundle}.
     *
     * @param trustRoot the platform's root certificate to require, or {@code null} to accept the included root (its
     *                  fingerprint is reported so it can be compared with the published one)
     */
    public static BundleVerification verify(Path bundle, X509Certificate trustRoot) {
        BundleVerifier verifier = new BundleVerifier(trustRoot);
        Optional<String> failure;
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            verifier.run(zip);
            failure = Optional.empty();
        } catch (VerificationException e) {
            failure = Optional.of(e.getMessage());
        } catch (java.util.zip.ZipException e) {
            failure = Optional.of("the bundle is not a readable zip file: " + e.getMessage());
        } catch (IOException e) {
            failure = Optional.of("cannot read the bundle: " + e.getMessage());
        }
        return new BundleVerification(verifier.verified, failure, verifier.files, verifier.blocks,
                verifier.transactions, verifier.lastHeaderHash, verifier.rootFingerprint);
    }

    private void run(ZipFile zip) throws IOException {
        Set<String> entries = new HashSet<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (!entries.add(name)) {
                throw new VerificationException("zip: entry '" + name + "' appears more than once");
            }
        }
        Manifest manifest = manifest(zip, entries);
        X509Certificate root = ManifestSigner.check(manifest, trustRoot);
        rootFingerprint = ManifestSigner.fingerprint(root);
        verified.add("signature: " + BundleFormat.SIGNATURE_ALGORITHM + " by '"
                + signingSubject(manifest) + "', chain of " + manifest.signature().chain().size() + " to root '"
                + root.getSubjectX500Principal().getName() + "' (SHA-256 fingerprint " + rootFingerprint + ")"
                + (trustRoot == null ? "; no --trust-root given: compare this fingerprint with the platform's published root"
                        : "; matches the pinned trust root"));
        hashes(zip, manifest, entries);
        List<String> blockFiles = chain(zip, manifest);
        rows(zip, manifest, blockFiles);
    }

    private static String signingSubject(Manifest manifest) {
        return ManifestSigner.parsePem(manifest.signature().chain().get(0)).getSubjectX500Principal().getName();
    }

    private Manifest manifest(ZipFile zip, Set<String> entries) throws IOException {
        ZipEntry entry = zip.getEntry(BundleFormat.MANIFEST);
        if (entry == null) {
            throw new VerificationException("manifest.json is missing from the bundle");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new VerificationException("manifest.json: larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Manifest manifest;
        try {
            manifest = Manifest.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("manifest.json: " + e.getMessage());
        }
        Set<String> listed = new HashSet<>();
        for (Manifest.FileEntry f : manifest.files()) {
            if (!listed.add(f.path()) || f.path().equals(BundleFormat.MANIFEST)) {
                throw new VerificationException("manifest.json: file '" + f.path() + "' is listed more than once");
            }
        }
        for (String required : List.of(BundleFormat.REPORT_PDF, BundleFormat.TRANSACTIONS_CSV, BundleFormat.REPORT_JSON)) {
            if (!listed.contains(required)) {
                throw new VerificationException("manifest.json: required file '" + required + "' is not listed");
            }
        }
        Long first = manifest.firstBlock();
        Long last = manifest.lastBlock();
        if ((first == null) != (last == null) || (first != null && Long.compareUnsigned(first, last) > 0)) {
            throw new VerificationException("manifest.json: ledger.firstBlock " + first + " and ledger.lastBlock " + last
                    + " do not form a range");
        }
        Long expectedAnchor = first == null || first == 0 ? null : first - 1;
        if (!java.util.Objects.equals(manifest.anchorBlock(), expectedAnchor)) {
            throw new VerificationException("manifest.json: ledger.anchorBlock must be " + expectedAnchor
                    + " for an extract starting at block " + first + " but is " + manifest.anchorBlock());
        }
        if (expectedAnchor != null && !listed.contains(BundleFormat.ANCHOR_HEADER)) {
            throw new VerificationException("manifest.json: the anchor header '" + BundleFormat.ANCHOR_HEADER
                    + "' is not listed");
        }
        verified.add("manifest structure: format " + BundleFormat.FORMAT + ", startup '" + manifest.startup()
                + "', channel '" + manifest.channel() + "', period [" + manifest.from() + ", " + manifest.to()
                + "), " + manifest.files().size() + " files listed, created " + manifest.createdAt() + " by '"
                + manifest.createdBy() + "'");
        return manifest;
    }

    private void hashes(ZipFile zip, Manifest manifest, Set<String> entries) throws IOException {
        Set<String> listed = new HashSet<>();
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        for (Manifest.FileEntry f : manifest.files()) {
            listed.add(f.path());
            ZipEntry entry = zip.getEntry(f.path());
            if (entry == null || !entries.contains(f.path())) {
                throw new VerificationException(f.path() + ": listed in the manifest but missing from the bundle");
            }
            MessageDigest digest = BundleWriter.sha256();
            long size = 0;
            try (InputStream in = zip.getInputStream(entry)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
            } catch (java.util.zip.ZipException e) {
                throw new VerificationException(f.path() + ": cannot be read from the zip (" + e.getMessage() + ")");
            }
            String sha = BundleWriter.hex(digest.digest());
            if (!sha.equals(f.sha256())) {
                throw new VerificationException(f.path() + ": SHA-256 mismatch, the manifest says " + f.sha256()
                        + " but the file's is " + sha);
            }
            if (size != f.size()) {
                throw new VerificationException(f.path() + ": size mismatch, the manifest says " + f.size()
                        + " bytes but the file has " + size);
            }
            files++;
            bytes += size;
        }
        for (String name : entries) {
            if (!listed.contains(name) && !name.equals(BundleFormat.MANIFEST)) {
                throw new VerificationException(name + ": in the bundle but not listed in the manifest");
            }
        }
        verified.add("files: " + files + " files (" + bytes + " bytes) match their SHA-256 in the signed manifest;"
                + " none missing, none unlisted");
    }

    private List<String> chain(ZipFile zip, Manifest manifest) throws IOException {
        List<String> blockFiles = new ArrayList<>();
        for (Manifest.FileEntry f : manifest.files()) {
            if (f.path().startsWith(BundleFormat.BLOCKS_FOLDER)) {
                blockFiles.add(f.path());
            }
        }
        ChainAnchor previous = null;
        String anchorText = "no anchor: the extract starts at the genesis block 0";
        if (manifest.anchorBlock() != null) {
            BlockHeader header;
            try (InputStream in = zip.getInputStream(zip.getEntry(BundleFormat.ANCHOR_HEADER))) {
                header = BlockHeader.parseFrom(in.readNBytes((int) MAX_MANIFEST_BYTES));
            } catch (InvalidProtocolBufferException e) {
                throw new VerificationException(BundleFormat.ANCHOR_HEADER + ": not a Fabric BlockHeader");
            }
            if (header.getNumber() != manifest.anchorBlock()) {
                throw new VerificationException(BundleFormat.ANCHOR_HEADER + ": is the header of block "
                        + Long.toUnsignedString(header.getNumber()) + ", expected block " + manifest.anchorBlock());
            }
            previous = ChainAnchor.of(header);
            anchorText = "anchor header: block " + manifest.anchorBlock() + ", header hash "
                    + BlockHashes.hex(previous.headerHash());
        }
        if (manifest.firstBlock() == null) {
            if (!blockFiles.isEmpty()) {
                throw new VerificationException("manifest.json: lists blocks but its ledger range is empty");
            }
            verified.add("ledger extract: empty (no transaction in the period)");
            return blockFiles;
        }
        verified.add(anchorText);
        int position = 0;
        for (String path : blockFiles) {
            Block block = readBlock(zip, path);
            if (previous == null && block.hasHeader() && block.getHeader().getNumber() != manifest.firstBlock()) {
                throw new VerificationException(path + ": block " + Long.toUnsignedString(block.getHeader().getNumber())
                        + " is first in the extract, expected block " + manifest.firstBlock());
            }
            ChainVerification result = ChainVerifier.verify(previous, List.of(block));
            if (!result.valid()) {
                ChainVerification.Failure f = result.failure().orElseThrow();
                throw new VerificationException(path + " (position " + position + " in the extract): block "
                        + Long.toUnsignedString(f.blockNumber()) + ": " + f.check() + " mismatch, expected "
                        + (f.expected().isEmpty() ? "<empty>" : f.expected()) + " but was "
                        + (f.actual().isEmpty() ? "<empty>" : f.actual())
                        + (previous == null ? "" : " (previous block " + Long.toUnsignedString(previous.number()) + ")"));
            }
            long number = block.getHeader().getNumber();
            if (!path.equals(BundleFormat.blockPath(number))) {
                throw new VerificationException(path + ": holds block " + Long.toUnsignedString(number)
                        + ", expected file " + BundleFormat.blockPath(number));
            }
            previous = ChainAnchor.of(block.getHeader());
            blocks++;
            position++;
        }
        if (previous == null || blocks == 0 || previous.number() != manifest.lastBlock()) {
            throw new VerificationException("ledger extract: ends at block "
                    + (blocks == 0 ? "<none>" : Long.toUnsignedString(previous.number()))
                    + " but the manifest's ledger.lastBlock is " + manifest.lastBlock());
        }
        lastHeaderHash = BlockHashes.hex(previous.headerHash());
        if (!lastHeaderHash.equals(manifest.lastHeaderHash())) {
            throw new VerificationException("manifest.json: ledger.lastHeaderHash " + manifest.lastHeaderHash()
                    + " is not the last block's header hash " + lastHeaderHash);
        }
        verified.add("ledger extract: blocks " + manifest.firstBlock() + " to " + manifest.lastBlock() + " (" + blocks
                + " blocks): numbers consecutive, every data hash recomputed, every previous-hash link verified from "
                + (manifest.anchorBlock() == null ? "the genesis block" : "the anchor") + "; last header hash "
                + lastHeaderHash);
        return blockFiles;
    }

    private static Block readBlock(ZipFile zip, String path) throws IOException {
        ZipEntry entry = zip.getEntry(path);
        if (entry.getSize() > MAX_BLOCK_BYTES) {
            throw new VerificationException(path + ": larger than " + MAX_BLOCK_BYTES + " bytes");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return Block.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new VerificationException(path + ": not a Fabric Block (" + e.getMessage() + ")");
        }
    }

    private void rows(ZipFile zip, Manifest manifest, List<String> blockFiles) throws IOException {
        try (BufferedReader csvIn = reader(zip, BundleFormat.TRANSACTIONS_CSV);
                BufferedReader jsonIn = reader(zip, BundleFormat.REPORT_JSON)) {
            Csv.Reader2 csv = new Csv.Reader2(csvIn);
            List<String> header = csvRow(csv, 1);
            if (!BundleFormat.CSV_COLUMNS.equals(header)) {
                throw new VerificationException("transactions.csv line 1: the header is " + header + ", expected "
                        + BundleFormat.CSV_COLUMNS);
            }
            Json.Pull json = new Json.Pull(jsonIn);
            jsonTransactionsStart(json);
            long line = 1;
            long element = 0;
            for (String path : blockFiles) {
                Block block = readBlock(zip, path);
                for (TransactionRecord tx : LedgerExtract.transactions(block)) {
                    line++;
                    List<String> row = csvRow(csv, line);
                    String where = "block " + tx.blockNumber() + " transaction " + tx.txIndex() + " (tx '" + tx.txId() + "')";
                    if (row == null) {
                        throw new VerificationException("transactions.csv: " + where + " of the ledger extract is missing"
                                + " (the CSV ends at line " + (line - 1) + ")");
                    }
                    if (!tx.matchesCsv(row)) {
                        throw new VerificationException("transactions.csv line " + line + identity(row) + ": "
                                + sameOrNot(row, tx) + tx.csvDifference(row));
                    }
                    Map<?, ?> object = jsonElement(json, element == 0, element);
                    if (object == null) {
                        throw new VerificationException("report.json: " + where + " of the ledger extract is missing"
                                + " (transactions ends after " + element + " elements)");
                    }
                    if (!tx.matchesJson(object)) {
                        throw new VerificationException("report.json transactions[" + element + "] (tx '"
                                + object.get("txId") + "'): " + tx.jsonDifference(object));
                    }
                    element++;
                    transactions++;
                }
            }
            List<String> extra = csvRow(csv, line + 1);
            if (extra != null) {
                throw new VerificationException("transactions.csv line " + (line + 1) + identity(extra)
                        + ": is not in the ledger extract (the blocks hold " + transactions + " transactions)");
            }
            Map<?, ?> more = jsonElement(json, element == 0, element);
            if (more != null) {
                throw new VerificationException("report.json transactions[" + element + "] (tx '" + more.get("txId")
                        + "'): is not in the ledger extract (the blocks hold " + transactions + " transactions)");
            }
            jsonRest(json);
        }
        if (transactions != manifest.transactions()) {
            throw new VerificationException("manifest.json: says " + manifest.transactions()
                    + " transactions but the ledger extract holds " + transactions);
        }
        verified.add("transactions: all " + transactions + " transactions of the blocks are in transactions.csv and"
                + " report.json, in block order, with the same id, timestamp, type, validation code and reporting"
                + " event values; neither file holds any other");
    }

    private static String identity(List<String> row) {
        return row.size() > 2 ? " (tx '" + row.get(2) + "')" : "";
    }

    private static String sameOrNot(List<String> row, TransactionRecord tx) {
        List<String> expected = tx.csvFields();
        if (row.size() < 3 || !row.subList(0, 3).equals(expected.subList(0, 3))) {
            return "not the transaction at this position of the ledger extract, which is block " + tx.blockNumber()
                    + " transaction " + tx.txIndex() + " (tx '" + tx.txId() + "'): ";
        }
        return "";
    }

    private static BufferedReader reader(ZipFile zip, String path) throws IOException {
        return new BufferedReader(new InputStreamReader(zip.getInputStream(zip.getEntry(path)), StandardCharsets.UTF_8),
                1 << 16);
    }

    private static List<String> csvRow(Csv.Reader2 csv, long line) throws IOException {
        try {
            return csv.next(line);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("transactions.csv line " + line + ": not valid CSV (" + e.getMessage() + ")");
        }
    }

    private static void jsonTransactionsStart(Json.Pull json) throws IOException {
        try {
            json.expect('{');
            boolean first = true;
            String name;
            while ((name = json.nextName(first)) != null) {
                first = false;
                if (name.equals("transactions")) {
                    json.expect('[');
                    return;
                }
                json.value();
            }
        } catch (IllegalArgumentException e) {
            throw new VerificationException("report.json: " + e.getMessage());
        }
        throw new VerificationException("report.json: has no 'transactions' member");
    }

    private static Map<?, ?> jsonElement(Json.Pull json, boolean first, long index) throws IOException {
        try {
            if (!json.nextElement(first)) {
                return null;
            }
            Object value = json.value();
            if (!(value instanceof Map<?, ?> map)) {
                throw new VerificationException("report.json transactions[" + index + "]: not an object");
            }
            return map;
        } catch (IllegalArgumentException e) {
            throw new VerificationException("report.json transactions[" + index + "]: " + e.getMessage());
        }
    }

    private static void jsonRest(Json.Pull json) throws IOException {
        try {
            String name;
            while ((name = json.nextName(false)) != null) {
                if (name.equals("transactions")) {
                    throw new VerificationException("report.json: member 'transactions' appears twice");
                }
                json.value();
            }
            if (json.peek() != -1) {
                throw new VerificationException("report.json: unexpected data after the top-level object");
            }
        } catch (IllegalArgumentException e) {
            throw new VerificationException("report.json: " + e.getMessage());
        }
    }
}
