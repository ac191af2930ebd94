package io.sandbox.core.evidence;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a bundle as a zip stream, one entry at a time: each entry's SHA-256 and size are computed while it is
 * written, and {@link #finish} appends the signed {@code manifest.json} listing them. Nothing is buffered beyond the
 * entry being written, so a bundle of any size streams in bounded memory.
 */
public final class BundleWriter implements AutoCloseable {

    private final ZipOutputStream zip;
    private final List<Manifest.FileEntry> files = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private Entry open;
    private boolean finished;

    /** A writer onto {@code out} (not closed by {@link #finish}; closed by {@link #close}). */
    public BundleWriter(OutputStream out) {
        zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.BEST_SPEED);
    }

    /**
     * Starts the entry {@code path}; write its content to the returned stream and close it before the next entry.
     */
    public OutputStream entry(String path) throws IOException {
        if (open != null) {
            throw new IllegalStateException("entry " + open.path + " is still open");
        }
        if (finished || BundleFormat.MANIFEST.equals(path) || !names.add(path)) {
            throw new IllegalArgumentException("entry " + path + " cannot be added");
        }
        zip.putNextEntry(new ZipEntry(path));
        open = new Entry(path);
        return open;
    }

    /** The files written so far. */
    public List<Manifest.FileEntry> files() {
        return List.copyOf(files);
    }

    /**
     * Signs {@code manifest} with the files written and appends it as the last entry, then ends the zip.
     *
     * @return the signed manifest and its file's SHA-256
     */
    public Finished finish(Manifest manifest, ManifestSigner signer) throws IOException {
        if (open != null) {
            throw new IllegalStateException("entry " + open.path + " is still open");
        }
        Manifest signed = signer.sign(manifest.withFiles(files));
        byte[] bytes = signed.toBytes();
        zip.putNextEntry(new ZipEntry(BundleFormat.MANIFEST));
        zip.write(bytes);
        zip.closeEntry();
        zip.finish();
        zip.flush();
        finished = true;
        return new Finished(signed, hex(sha256().digest(bytes)));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /**
     * The outcome of {@link #finish}.
     *
     * @param manifest       the signed manifest
     * @param manifestSha256 SHA-256 (hex) of {@code manifest.json}'s bytes, as the audit log records it
     */
    public record Finished(Manifest manifest, String manifestSha256) {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private final class Entry extends FilterOutputStream {
        private final String path;
        private final MessageDigest digest;
        private long size;
        private boolean closed;

        Entry(String path) {
            super(null);
            this.path = path;
            this.digest = sha256();
            this.out = new DigestOutputStream(new NoClose(zip), digest);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            size += len;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            out.flush();
            zip.closeEntry();
            files.add(new Manifest.FileEntry(path, size, hex(digest.digest())));
            open = null;
        }
    }

    private static final class NoClose extends FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
