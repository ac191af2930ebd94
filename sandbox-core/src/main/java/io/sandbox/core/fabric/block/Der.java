package io.sandbox.core.fabric.block;

import java.io.ByteArrayOutputStream;

/** The few ASN.1 DER primitives a Fabric block header needs; hand-written so no ASN.1 library is required. */
final class Der {

    static final int TAG_INTEGER = 0x02;
    static final int TAG_OCTET_STRING = 0x04;
    static final int TAG_SEQUENCE = 0x30;

    private Der() {}

    /** Tag, definite length (short form below 128, long form otherwise) and content. */
    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write((length >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /**
     * Content octets of a DER INTEGER holding {@code value} read as unsigned 64-bit: minimal big-endian
     * two's complement, {@code 00} for zero, a leading {@code 00} when the first octet's top bit is set.
     */
    static byte[] unsignedInteger(long value) {
        if (value == 0) {
            return new byte[] {0};
        }
        int significant = (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
        boolean pad = ((value >>> (8 * (significant - 1))) & 0x80) != 0;
        byte[] out = new byte[significant + (pad ? 1 : 0)];
        int offset = pad ? 1 : 0;
        for (int i = 0; i < significant; i++) {
            out[offset + i] = (byte) (value >>> (8 * (significant - 1 - i)));
        }
        return out;
    }
}
