package io.sandbox.core.fabric.block;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

/**
 * Block hashes exactly as Hyperledger Fabric 2.5 computes them ({@code protoutil/blockutils.go}).
 *
 * <ul>
 *   <li>Header hash: SHA-256 over the ASN.1 DER encoding of
 *       {@code SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }}
 *       (Go's {@code encoding/asn1} marshalling of a struct holding a {@code *big.Int} set from the unsigned
 *       64-bit block number and two byte slices). The INTEGER is the minimal two's-complement encoding of a
 *       non-negative number: zero is the single byte {@code 00}, and a leading {@code 00} is added when the
 *       top bit of the first byte is set (numbers are unsigned, so block numbers above {@link Long#MAX_VALUE}
 *       encode as nine bytes). A missing hash encodes as an empty OCTET STRING, as Go does for a nil slice.
 *   <li>Data hash: SHA-256 over the plain concatenation of the block's data entries
 *       ({@code ComputeBlockDataHash}: {@code sha256(bytes.Join(b.Data, nil))}); no Merkle tree, the channel's
 *       {@code BlockDataHashingStructure} width is always {@code MaxUint32}.
 * </ul>
 */
public final class BlockHashes {

    private static final HexFormat HEX = HexFormat.of();

    private BlockHashes() {}

    /** The DER bytes Fabric hashes for a block header (and which orderers sign in block metadata). */
    public static byte[] headerBytes(BlockHeader header) {
        Objects.requireNonNull(header, "header");
        return headerBytes(header.getNumber(), header.getPreviousHash().toByteArray(), header.getDataHash().toByteArray());
    }

    /** The DER bytes for a header given its parts; {@code number} is read as an unsigned 64-bit value. */
    public static byte[] headerBytes(long number, byte[] previousHash, byte[] dataHash) {
        byte[] integer = Der.tlv(Der.TAG_INTEGER, Der.unsignedInteger(number));
        byte[] prev = Der.tlv(Der.TAG_OCTET_STRING, previousHash == null ? new byte[0] : previousHash);
        byte[] data = Der.tlv(Der.TAG_OCTET_STRING, dataHash == null ? new byte[0] : dataHash);
        ByteArrayOutputStream content = new ByteArrayOutputStream(integer.length + prev.length + data.length);
        content.writeBytes(integer);
        content.writeBytes(prev);
        content.writeBytes(data);
        return Der.tlv(Der.TAG_SEQUENCE, content.toByteArray());
    }

    /** {@code protoutil.BlockHeaderHash}: SHA-256 of {@link #headerBytes(BlockHeader)}. */
    public static byte[] headerHash(BlockHeader header) {
        return sha256().digest(headerBytes(header));
    }

    /** {@code protoutil.ComputeBlockDataHash}: SHA-256 of the concatenated data entries. */
    public static byte[] dataHash(BlockData data) {
        Objects.requireNonNull(data, "data");
        MessageDigest digest = sha256();
        for (int i = 0; i < data.getDataCount(); i++) {
            digest.update(data.getData(i).asReadOnlyByteBuffer());
        }
        return digest.digest();
    }

    /** Lower-case hex, the form used in verification reports. */
    public static String hex(byte[] bytes) {
        return bytes == null ? "" : HEX.formatHex(bytes);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
