package io.sandbox.core.evidence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code manifest.json}: what the bundle covers, every other file with its size and SHA-256, and the platform's
 * signature over the canonical JSON of everything but the signature itself.
 *
 * @param startup        the startup (tenant) the bundle is about
 * @param channel        its channel
 * @param from           start of the period, inclusive, ISO-8601 instant
 * @param to             end of the period, exclusive, ISO-8601 instant
 * @param createdAt      when the bundle was written, ISO-8601 instant
 * @param createdBy      who exported it
 * @param firstBlock     first block of the extract, {@code null} when the period holds no transaction
 * @param lastBlock      last block of the extract, {@code null} when empty
 * @param anchorBlock    number of the block whose header is {@link BundleFormat#ANCHOR_HEADER}; {@code null} when the
 *                       extract starts at block 0 (nothing precedes the genesis block) or is empty
 * @param lastHeaderHash header hash (hex) of the last block, {@code null} when empty
 * @param transactions   number of transactions in the extract (and rows in the CSV and JSON)
 * @param files          every file of the bundle but the manifest, in zip order
 * @param signature      the signature, {@code null} before signing
 */
public record Manifest(String startup, String channel, String from, String to, String createdAt, String createdBy,
        Long firstBlock, Long lastBlock, Long anchorBlock, String lastHeaderHash, long transactions,
        List<FileEntry> files, Signature signature) {

    public Manifest {
        Objects.requireNonNull(startup, "startup");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        files = List.copyOf(files);
    }

    /**
     * A file of the bundle.
     *
     * @param path   zip entry name
     * @param size   bytes
     * @param sha256 lower-case hex SHA-256 of its content
     */
    public record FileEntry(String path, long size, String sha256) {
        public FileEntry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /**
     * The signature over {@link #signedBytes()}.
     *
     * @param algorithm always {@link BundleFormat#SIGNATURE_ALGORITHM}
     * @param chain     PEM certificates: the signing certificate first, the self-signed root last
     * @param value     Base64 of the DER ECDSA signature
     */
    public record Signature(String algorithm, List<String> chain, String value) {
        public Signature {
            Objects.requireNonNull(algorithm, "algorithm");
            chain = List.copyOf(chain);
            Objects.requireNonNull(value, "value");
        }
    }

    /** The same manifest listing these files, unsigned. */
    public Manifest withFiles(List<FileEntry> entries) {
        return new Manifest(startup, channel, from, to, createdAt, createdBy, firstBlock, lastBlock, anchorBlock,
                lastHeaderHash, transactions, entries, null);
    }

    /** The same manifest with this signature. */
    public Manifest withSignature(Signature value) {
        return new Manifest(startup, channel, from, to, createdAt, createdBy, firstBlock, lastBlock, anchorBlock,
                lastHeaderHash, transactions, files, value);
    }

    /** The bytes the signature covers: the canonical JSON of the manifest without its {@code signature} member. */
    public byte[] signedBytes() {
        Map<String, Object> body = body();
        return Json.canonical(body).getBytes(StandardCharsets.UTF_8);
    }

    /** The file's bytes: canonical JSON of the whole manifest. */
    public byte[] toBytes() {
        Map<String, Object> json = body();
        if (signature != null) {
            Map<String, Object> sig = new LinkedHashMap<>();
            sig.put("algorithm", signature.algorithm());
            sig.put("chain", new ArrayList<Object>(signature.chain()));
            sig.put("value", signature.value());
            json.put("signature", sig);
        }
        return Json.canonical(json).getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> body() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", BundleFormat.FORMAT);
        json.put("startup", startup);
        json.put("channel", channel);
        Map<String, Object> period = new LinkedHashMap<>();
        period.put("from", from);
        period.put("to", to);
        json.put("period", period);
        json.put("createdAt", createdAt);
        json.put("createdBy", createdBy);
        Map<String, Object> ledger = new LinkedHashMap<>();
        ledger.put("firstBlock", firstBlock);
        ledger.put("lastBlock", lastBlock);
        ledger.put("anchorBlock", anchorBlock);
        ledger.put("anchorHeader", anchorBlock == null ? null : BundleFormat.ANCHOR_HEADER);
        ledger.put("lastHeaderHash", lastHeaderHash);
        json.put("ledger", ledger);
        json.put("transactions", transactions);
        List<Object> list = new ArrayList<>();
        for (FileEntry f : files) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", f.path());
            entry.put("size", f.size());
            entry.put("sha256", f.sha256());
            list.add(entry);
        }
        json.put("files", list);
        return json;
    }

    /**
     * Reads a manifest, checking its structure.
     *
     * @throws IllegalArgumentException naming the member that is missing or malformed
     */
    public static Manifest parse(byte[] bytes) {
        Object parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?> json)) {
            throw new IllegalArgumentException("the manifest is not a JSON object");
        }
        if (!BundleFormat.FORMAT.equals(json.get("format"))) {
            throw new IllegalArgumentException("member 'format' must be \"" + BundleFormat.FORMAT + "\" but is "
                    + Json.write(json.get("format")));
        }
        Map<?, ?> period = object(json, "period");
        Map<?, ?> ledger = object(json, "ledger");
        List<FileEntry> files = new ArrayList<>();
        for (Object o : list(json, "files")) {
            if (!(o instanceof Map<?, ?> f)) {
                throw new IllegalArgumentException("member 'files' must hold objects");
            }
            String path = text(f, "path", "files[" + files.size() + "].path");
            String sha = text(f, "sha256", "files[" + files.size() + "].sha256");
            if (!sha.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("member 'files[" + files.size() + "].sha256' is not 64 hex digits");
            }
            files.add(new FileEntry(path, number(f, "size", "files[" + files.size() + "].size"), sha));
        }
        Signature signature = null;
        if (json.get("signature") != null) {
            Map<?, ?> sig = object(json, "signature");
            List<String> chain = new ArrayList<>();
            for (Object c : list(sig, "chain")) {
                if (!(c instanceof String pem)) {
                    throw new IllegalArgumentException("member 'signature.chain' must hold PEM strings");
                }
                chain.add(pem);
            }
            signature = new Signature(text(sig, "algorithm", "signature.algorithm"), chain,
                    text(sig, "value", "signature.value"));
        }
        Long first = optionalNumber(ledger, "firstBlock");
        Long last = optionalNumber(ledger, "lastBlock");
        Long anchor = optionalNumber(ledger, "anchorBlock");
        Object lastHash = ledger.get("lastHeaderHash");
        if (lastHash != null && !(lastHash instanceof String)) {
            throw new IllegalArgumentException("member 'ledger.lastHeaderHash' must be a string");
        }
        return new Manifest(text(json, "startup", "startup"), text(json, "channel", "channel"),
                text(period, "from", "period.from"), text(period, "to", "period.to"),
                text(json, "createdAt", "createdAt"), text(json, "createdBy", "createdBy"), first, last, anchor,
                (String) lastHash, number(json, "transactions", "transactions"), files, signature);
    }

    private static Map<?, ?> object(Map<?, ?> json, String name) {
        if (!(json.get(name) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("member '" + name + "' is missing or not an object");
        }
        return m;
    }

    private static List<?> list(Map<?, ?> json, String name) {
        if (!(json.get(name) instanceof List<?> l)) {
            throw new IllegalArgumentException("member '" + name + "' is missing or not an array");
        }
        return l;
    }

    private static String text(Map<?, ?> json, String name, String label) {
        if (!(json.get(name) instanceof String s)) {
            throw new IllegalArgumentException("member '" + label + "' is missing or not a string");
        }
        return s;
    }

    private static long number(Map<?, ?> json, String name, String label) {
        if (!(json.get(name) instanceof Long n) || n < 0) {
            throw new IllegalArgumentException("member '" + label + "' is missing or not a non-negative integer");
        }
        return n;
    }

    private static Long optionalNumber(Map<?, ?> json, String name) {
        Object v = json.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long n) || n < 0) {
            throw new IllegalArgumentException("member 'ledger." + name + "' must be a non-negative integer or null");
        }
        return n;
    }
}
