package io.sandbox.core.fabric.lifecycle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Fabric 2.x {@code _lifecycle} chaincode install package, as the peer CLI's {@code lifecycle chaincode package}
 * writes it and the peer's {@code persistence.ChaincodePackageParser} reads it: a gzipped tar holding
 * {@code metadata.json} ({@code {"path":...,"type":...,"label":...}}) and {@code code.tar.gz}. For
 * chaincode-as-a-service ({@code "type":"ccaas"}) the code package is itself a gzipped tar holding
 * {@code connection.json}, which the ccaas external builder hands to the peer.
 *
 * <p>The package id is {@code label:hex(sha256(package bytes))} ({@code persistence.PackageID}): it hashes the
 * exact bytes, so {@link #ccaas building} is deterministic (fixed entry order, mode 0644, uid/gid 0, mtime 0,
 * gzip header without name or time) and the same label and connection.json always give the same package id.
 *
 * <p>{@link #parse Parsing} checks what Fabric checks: a gzip stream of a tar whose entries are all regular
 * files, holding {@code code.tar.gz} and {@code metadata.json} (parsed as JSON the way Go's {@code encoding/json}
 * does: unknown fields ignored, names matched case-insensitively), with a valid label. Other top-level files are
 * ignored, as Fabric ignores them (with a warning).
 *
 * <p>Instances are immutable.
 */
public final class ChaincodePackage {

    /** The metadata file at the top level of a package. */
    public static final String METADATA_FILE = "metadata.json";
    /** The code package at the top level of a package. */
    public static final String CODE_PACKAGE_FILE = "code.tar.gz";
    /** The connection file inside a ccaas code package. */
    public static final String CONNECTION_FILE = "connection.json";
    /** The chaincode type of chaincode-as-a-service packages. */
    public static final String CCAAS = "ccaas";

    /**
     * Fabric's {@code persistence.LabelRegexp}, verbatim. Note that {@code [.+-_]} is a character range from
     * {@code +} to {@code _} (in Go and in Java alike), so Fabric accepts more separators than its message says.
     */
    public static final Pattern LABEL = Pattern.compile("^[a-zA-Z0-9]+([.+-_][a-zA-Z0-9]+)*$");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCK = 512;

    private final byte[] bytes;
    private final String type;
    private final String path;
    private final String label;
    private final byte[] codePackage;
    private final String packageId;

    private ChaincodePackage(byte[] bytes, String type, String path, String label, byte[] codePackage) {
        this.bytes = bytes;
        this.type = type;
        this.path = path;
        this.label = label;
        this.codePackage = codePackage;
        this.packageId = packageId(label, bytes);
    }

    /**
     * Builds a ccaas package: {@code metadata.json} {@code {"path":"","type":"ccaas","label":label}} (the fields
     * and their order as the peer CLI writes them) and {@code code.tar.gz} holding {@code connection.json}.
     *
     * @param label          the package label (Fabric's label rule)
     * @param connectionJson the {@code connection.json} text (must be a JSON object; it is stored verbatim)
     */
    public static ChaincodePackage ccaas(String label, String connectionJson) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(connectionJson, "connectionJson");
        validateLabel(label);
        try {
            JsonNode node = JSON.readTree(connectionJson);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("connection.json must be a JSON object");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed connection.json: " + e.getMessage(), e);
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("path", "");
        metadata.put("type", CCAAS);
        metadata.put("label", label);
        byte[] code = tarGz(Map.of(CONNECTION_FILE, connectionJson.getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(METADATA_FILE, metadata.toString().getBytes(StandardCharsets.UTF_8));
        entries.put(CODE_PACKAGE_FILE, code);
        return parse(tarGz(entries));
    }

    /**
     * Parses package bytes as Fabric's {@code ChaincodePackageParser.Parse} does.
     *
     * @throws IllegalArgumentException with Fabric's message when the package is malformed
     */
    public static ChaincodePackage parse(byte[] packageBytes) {
        Objects.requireNonNull(packageBytes, "packageBytes");
        byte[] copy = packageBytes.clone();
        Map<String, byte[]> files = untarGz(copy, false);
        byte[] code = files.get(CODE_PACKAGE_FILE);
        byte[] metadata = files.get(METADATA_FILE);
        String type = "";
        String path = "";
        String label = "";
        if (metadata != null) {
            JsonNode root;
            try {
                root = JSON.readTree(metadata);
            } catch (IOException e) {
                throw new IllegalArgumentException("could not unmarshal " + METADATA_FILE + " as json: "
                        + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("could not unmarshal " + METADATA_FILE
                        + " as json: not a JSON object");
            }
            type = field(root, "type");
            path = field(root, "path");
            label = field(root, "label");
        }
        if (code == null) {
            throw new IllegalArgumentException("did not find a code package inside the package");
        }
        if (metadata == null) {
            throw new IllegalArgumentException("did not find any package metadata (missing " + METADATA_FILE + ")");
        }
        validateLabel(label);
        return new ChaincodePackage(copy, type, path, label, code);
    }

    /** Fabric's package id: {@code label:hex(sha256(packageBytes))}. */
    public static String packageId(String label, byte[] packageBytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(packageBytes);
            return label + ":" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks a label as Fabric's {@code validateLabel}. */
    public static void validateLabel(String label) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("invalid label '" + label + "'. Label must be non-empty, can only"
                    + " consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics");
        }
    }

    /** The package bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@code metadata.json}'s type, as written (e.g. {@code ccaas}, {@code golang}). */
    public String type() {
        return type;
    }

    /** {@code metadata.json}'s path (empty for ccaas packages). */
    public String path() {
        return path;
    }

    /** {@code metadata.json}'s label. */
    public String label() {
        return label;
    }

    /** {@code label:sha256hex}. */
    public String packageId() {
        return packageId;
    }

    /** The bytes of {@code code.tar.gz} (a copy). */
    public byte[] codePackage() {
        return codePackage.clone();
    }

    /** Whether this is a chaincode-as-a-service package (type {@code ccaas}, compared case-insensitively). */
    public boolean isCcaas() {
        return CCAAS.equals(type.toLowerCase(Locale.ROOT));
    }

    /**
     * The {@code connection.json} text of a ccaas package (at the top of {@code code.tar.gz}; {@code ./connection.json}
     * is accepted too, as the builder sees the extracted directory).
     *
     * @throws IllegalArgumentException if the package is not ccaas, or its code package lacks the file
     */
    public String connectionJson() {
        if (!isCcaas()) {
            throw new IllegalArgumentException("chaincode type '" + type + "' is not supported by the devnet:"
                    + " external builders only for ccaas");
        }
        Map<String, byte[]> files;
        try {
            files = untarGz(codePackage, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed " + CODE_PACKAGE_FILE + ": " + e.getMessage(), e);
        }
        byte[] connection = files.get(CONNECTION_FILE);
        if (connection == null) {
            connection = files.get("./" + CONNECTION_FILE);
        }
        if (connection == null) {
            throw new IllegalArgumentException(CONNECTION_FILE + " not found in " + CODE_PACKAGE_FILE
                    + " of ccaas package " + packageId);
        }
        return new String(connection, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ChaincodePackage[" + packageId + ", type=" + type + "]";
    }

    // --- JSON -------------------------------------------------------------------------------------------------

    /** A string field matched case-insensitively (Go's encoding/json); absent or null gives "". */
    private static String field(JsonNode root, String name) {
        JsonNode exact = root.get(name);
        JsonNode found = exact;
        if (found == null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equalsIgnoreCase(name)) {
                    found = e.getValue();
                }
            }
        }
        if (found == null || found.isNull()) {
            return "";
        }
        if (!found.isTextual()) {
            throw new IllegalArgumentException("could not unmarshal " + METADATA_FILE + " as json: field " + name
                    + " must be a string");
        }
        return found.textValue();
    }

    // --- tar.gz -----------------------------------------------------------------------------------------------

    /** A deterministic gzipped ustar archive of regular files, in the map's iteration order (sorted if a Map.of). */
    static byte[] tarGz(Map<String, byte[]> files) {
        List<String> names = new ArrayList<>(files.keySet());
        if (!(files instanceof LinkedHashMap)) {
            names.sort(null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            for (String name : names) {
                byte[] data = files.get(name);
                gz.write(header(name, data.length));
                gz.write(data);
                int pad = (BLOCK - data.length % BLOCK) % BLOCK;
                gz.write(new byte[pad]);
            }
            gz.write(new byte[2 * BLOCK]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] header(String name, long size) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("tar entry name too long: " + name);
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        octal(h, 100, 8, 0644);            // mode
        octal(h, 108, 8, 0);               // uid
        octal(h, 116, 8, 0);               // gid
        octal(h, 124, 12, size);           // size
        octal(h, 136, 12, 0);              // mtime
        h[156] = '0';                      // regular file
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        int digits = length - 1;
        if (s.length() > digits) {
            throw new IllegalArgumentException("tar field overflow");
        }
        s = "0".repeat(digits - s.length()) + s;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, digits);
        h[offset + digits] = 0;
    }

    /**
     * Reads a gzipped tar. Pax ({@code x}, {@code g}) and GNU long-name ({@code L}) entries are applied, as Go's
     * reader does; any other non-regular entry is refused with Fabric's message, unless {@code lenient} (a code
     * package, which Fabric extracts to disk: directories are then skipped). A name seen twice keeps the last.
     */
    static Map<String, byte[]> untarGz(byte[] archive, boolean lenient) {
        InputStream in;
        try {
            in = new GZIPInputStream(new ByteArrayInputStream(archive));
        } catch (IOException e) {
            throw new IllegalArgumentException("error reading as gzip stream: " + e.getMessage(), e);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (in) {
            String longName = null;
            while (true) {
                byte[] h = in.readNBytes(BLOCK);
                if (h.length == 0) {
                    break; // EOF without the end-of-archive blocks: Go accepts it too
                }
                if (h.length < BLOCK) {
                    throw new IllegalArgumentException("error inspecting next tar header: unexpected EOF");
                }
                if (isZero(h)) {
                    break;
                }
                if (!checksumOk(h)) {
                    throw new IllegalArgumentException("error inspecting next tar header: archive/tar: invalid tar"
                            + " header");
                }
                String name = string(h, 0, 100);
                String prefix = h[257] == 'u' && h[258] == 's' ? string(h, 345, 155) : "";
                if (!prefix.isEmpty() && h[262] == 0) { // POSIX ustar ("ustar\0"), not GNU ("ustar ")
                    name = prefix + "/" + name;
                }
                long size = parseOctal(h, 124, 12);
                byte type = h[156];
                byte[] data = in.readNBytes((int) size);
                if (data.length != size) {
                    throw new IllegalArgumentException("error inspecting next tar header: unexpected EOF");
                }
                in.readNBytes((int) ((BLOCK - size % BLOCK) % BLOCK));
                switch (type) {
                    case 'L' -> {
                        longName = new String(data, StandardCharsets.UTF_8).replaceAll("\u0000+$", "");
                        continue;
                    }
                    case 'x' -> {
                        String paxPath = paxPath(data);
                        if (paxPath != null) {
                            longName = paxPath;
                        }
                        continue;
                    }
                    case 'g' -> {
                        continue;
                    }
                    default -> {
                        // handled below
                    }
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                if (type != '0' && type != 0) {
                    if (lenient) {
                        continue;
                    }
                    throw new IllegalArgumentException("tar entry " + name + " is not a regular file, type "
                            + (type & 0xff));
                }
                files.put(name, data);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("error inspecting next tar header: " + e.getMessage(), e);
        }
        return files;
    }

    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String found = null;
        int at = 0;
        while (at < text.length()) {
            int space = text.indexOf(' ', at);
            if (space < 0) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(text.substring(at, space));
            } catch (NumberFormatException e) {
                break;
            }
            // the length counts bytes; records here are ASCII in practice
            String record = text.substring(space + 1, Math.min(text.length(), at + len)).replaceAll("\n$", "");
            if (record.startsWith("path=")) {
                found = record.substring(5);
            }
            if (len <= 0) {
                break;
            }
            at += len;
        }
        return found;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (i >= 148 && i < 156) ? ' ' : h[i];
        }
        long stored;
        try {
            stored = parseOctal(h, 148, 8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return stored == unsigned || stored == signed;
    }

    private static String string(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) {
            end++;
        }
        return new String(h, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long parseOctal(byte[] h, int offset, int length) {
        if ((h[offset] & 0x80) != 0) { // GNU base-256
            long v = h[offset] & 0x7f;
            for (int i = 1; i < length; i++) {
                v = (v << 8) | (h[offset + i] & 0xff);
            }
            return v;
        }
        String s = string(h, offset, length).trim();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("error inspecting next tar header: archive/tar: invalid tar header");
        }
    }
}
