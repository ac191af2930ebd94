package io.sandbox.core.fabric.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known-answer vectors. The DER encodings and their SHA-256 were produced independently of this code with
 * OpenSSL ({@code openssl asn1parse -genconf} building {@code SEQUENCE{INTEGER, OCTETSTRING, OCTETSTRING}},
 * then {@code openssl dgst -sha256}); the empty-hash vector was written out by hand from X.690. No public
 * Fabric block with a published header hash was found in the indexed sources, so none is used here.
 */
class BlockHashesTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PREV = filled(32, 0xaa);
    private static final byte[] DATA = filled(32, 0x5b);

    @ParameterizedTest(name = "number {0}")
    @CsvSource({
        "0, 30470201000420aaaaaaaaaaaaaaaaaaaa, 3150da77fc976e0be8b64d626b200e74b0fb067c6624cb3dfb4f9aeda79987ac",
        "127, 304702017f0420aaaaaaaaaaaaaaaaaaaa, 36018bf0b2deeff55c3da8611589307f8df6f0ac587bcbdea7262d681a4f987b",
        "128, 3048020200800420aaaaaaaaaaaaaaaaaa, 9491a87ceef5cf6add5c87f96a307bd337cb11760236c72f089c85775d9355c2",
        "255, 3048020200ff0420aaaaaaaaaaaaaaaaaa, ee9aed44dadce45fe8a20ccca82b76a8847b853d9ee5e7579656d9c8edaf5579",
        "256, 3048020201000420aaaaaaaaaaaaaaaaaa, dfeb06f36ab9a633369eb0798b1530303c408798e544d1ecab04c45fec721ed5",
        "9223372036854775807, 304e02087fffffffffffffff0420aaaaaa, 5b36b1eb5b3870a0659dc293f52e024bf4d74620880d72c02196307a986bd52a",
        "9223372036854775808, 304f02090080000000000000000420aaaa, 2898ee53b0f15af4562fe20535559c264160db3892025314da13a21bd558c3a8",
        "18446744073709551615, 304f020900ffffffffffffffff0420aaaa, 01b89472a0a7c38c5be48d2da23f3daa25551afdd97585d05acf28e7877c6889",
    })
    void headerHashMatchesIndependentDerEncoding(String number, String derPrefix, String expectedHash) {
        BlockHeader header = BlockHeader.newBuilder()
                .setNumber(Long.parseUnsignedLong(number))
                .setPreviousHash(ByteString.copyFrom(PREV))
                .setDataHash(ByteString.copyFrom(DATA))
                .build();

        assertThat(HEX.formatHex(BlockHashes.headerBytes(header))).startsWith(derPrefix);
        assertThat(HEX.formatHex(BlockHashes.headerHash(header))).isEqualTo(expectedHash);
    }

    @Test
    void genesisStyleHeaderWithEmptyHashesEncodesEmptyOctetStrings() {
        BlockHeader header = BlockHeader.newBuilder().setNumber(0).build();

        assertThat(HEX.formatHex(BlockHashes.headerBytes(header))).isEqualTo("300702010004000400");
        assertThat(HEX.formatHex(BlockHashes.headerHash(header)))
                .isEqualTo("1d1c288c6851505be0b47a0f8e7dfb91ab2abe6ad71cef63a3791d14588d1d0e");
    }

    @Test
    void longContentUsesLongFormLength() {
        byte[] der = BlockHashes.headerBytes(5, filled(200, 0xaa), DATA);

        assertThat(HEX.formatHex(der)).startsWith("3081f00201050481c8aa");
        assertThat(HEX.formatHex(BlockHashes.sha256().digest(der)))
                .isEqualTo("6fd6c9ae2fcda202220d943a64f3693fb0ac61aa5a4e00b0da0fc755a18a2859");
    }

    @Test
    void dataHashIsSha256OfConcatenatedEntries() {
        BlockData split = BlockData.newBuilder()
                .addData(ByteString.copyFromUtf8("a"))
                .addData(ByteString.copyFromUtf8("bc"))
                .build();
        BlockData joined = BlockData.newBuilder().addData(ByteString.copyFromUtf8("abc")).build();

        // SHA-256("abc"), FIPS 180-2 test vector: entries are concatenated with no framing.
        String sha256Abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(BlockHashes.hex(BlockHashes.dataHash(split))).isEqualTo(sha256Abc);
        assertThat(BlockHashes.hex(BlockHashes.dataHash(joined))).isEqualTo(sha256Abc);
        assertThat(BlockHashes.hex(BlockHashes.dataHash(BlockData.getDefaultInstance())))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
