package io.sandbox.onboarding.application;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of supporting document the platform can take, recognised by their leading bytes. */
public enum DocumentType {

    PDF("application/pdf", new byte[] {'%', 'P', 'D', 'F', '-'}),
    PNG("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}),
    JPEG("image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});

    /** How many leading bytes {@link #sniff} needs at most. */
    public static final int SNIFF_LENGTH = 8;

    private final String mediaType;
    private final byte[] magic;

    DocumentType(String mediaType, byte[] magic) {
        this.mediaType = mediaType;
        this.magic = magic;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The type whose signature starts {@code head}, if any. */
    public static Optional<DocumentType> sniff(byte[] head) {
        for (DocumentType type : values()) {
            if (head.length >= type.magic.length && Arrays.equals(head, 0, type.magic.length, type.magic, 0, type.magic.length)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a client's declared {@code Content-Type} is consistent with this type: absent, generic
     * ({@code application/octet-stream}) or the same media type.
     */
    public boolean agreesWith(String declared) {
        if (declared == null || declared.isBlank()) {
            return true;
        }
        String base = declared.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/octet-stream") || base.equals(mediaType) || (this == JPEG && base.equals("image/jpg"));
    }
}
