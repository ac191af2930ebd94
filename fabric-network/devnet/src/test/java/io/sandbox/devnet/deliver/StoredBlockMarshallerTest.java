package io.sandbox.devnet.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Drainable;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.Test;

class StoredBlockMarshallerTest {

    private final StoredBlockMarshaller<DeliverResponse> marshaller =
            new StoredBlockMarshaller<>(DeliverResponse.getDefaultInstance());

    /** A block of about 300 KiB, so that its length takes a multi-byte varint. */
    private static Block block() {
        BlockData.Builder data = BlockData.newBuilder();
        for (int i = 0; i < 300; i++) {
            data.addData(ByteString.copyFrom(new byte[1024]).concat(ByteString.copyFromUtf8("tx-" + i)));
        }
        return Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(7)).setData(data).build();
    }

    @Test
    void writesAStoredBlockAsTheParsedResponseWouldBe() throws Exception {
        Block block = block();
        byte[] expected = DeliverResponse.newBuilder().setBlock(block).build().toByteArray();

        InputStream drained = marshaller.stream(new StoredBlockMarshaller.StoredBlock(block.toByteArray()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(((Drainable) drained).drainTo(out)).isEqualTo(expected.length);
        assertThat(out.toByteArray()).isEqualTo(expected);

        InputStream read = marshaller.stream(new StoredBlockMarshaller.StoredBlock(block.toByteArray()));
        assertThat(read.available()).isEqualTo(expected.length);
        int first = read.read();
        byte[] rest = read.readAllBytes();
        assertThat(first).isEqualTo(expected[0] & 0xff);
        assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(expected, 1, expected.length));
        assertThat(read.read()).isEqualTo(-1);

        assertThat(marshaller.parse(new java.io.ByteArrayInputStream(expected)))
                .isEqualTo(DeliverResponse.newBuilder().setBlock(block).build());
    }

    @Test
    void writesOtherResponsesAsMessages() throws Exception {
        DeliverResponse status = DeliverResponse.newBuilder().setStatus(Status.SUCCESS).build();
        assertThat(marshaller.stream(status).readAllBytes()).isEqualTo(status.toByteArray());
    }
}
