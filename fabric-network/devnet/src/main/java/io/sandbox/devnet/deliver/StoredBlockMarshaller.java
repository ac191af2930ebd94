package io.sandbox.devnet.deliver;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The response marshaller of a Deliver method whose responses are either a {@code DeliverResponse} message or a
 * {@link StoredBlock}: the latter is written as the message's {@code block} field (tag, length, the stored bytes)
 * without parsing or re-encoding the block, which gives the same bytes on the wire as the parsed block would.
 */
public final class StoredBlockMarshaller<M extends Message> implements MethodDescriptor.Marshaller<Object> {

    /** The bytes of a stored block (not copied: not to be modified). */
    public record StoredBlock(byte[] bytes) {
        public StoredBlock {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    private final MethodDescriptor.Marshaller<M> messages;
    private final int blockTag;

    /** For responses of type {@code M} whose block is field {@code block} (both Fabric DeliverResponses). */
    public StoredBlockMarshaller(M defaultInstance) {
        this.messages = ProtoUtils.marshaller(defaultInstance);
        var field = defaultInstance.getDescriptorForType().findFieldByName("block");
        if (field == null) {
            throw new IllegalArgumentException(defaultInstance.getDescriptorForType().getFullName() + " has no block");
        }
        // length-delimited wire type
        this.blockTag = field.getNumber() << 3 | 2;
    }

    @Override
    @SuppressWarnings("unchecked")
    public InputStream stream(Object value) {
        if (value instanceof StoredBlock block) {
            return new BlockStream(blockTag, block.bytes());
        }
        return messages.stream((M) value);
    }

    @Override
    public Object parse(InputStream stream) {
        return messages.parse(stream);
    }

    /** Tag and length, then the block's bytes; drained straight into gRPC's output buffers. */
    private static final class BlockStream extends InputStream implements Drainable, KnownLength {
        private final byte[] prefix;
        private final byte[] block;
        private int position;

        BlockStream(int tag, byte[] block) {
            this.block = block;
            this.prefix = new byte[CodedOutputStream.computeUInt32SizeNoTag(tag)
                    + CodedOutputStream.computeUInt32SizeNoTag(block.length)];
            CodedOutputStream out = CodedOutputStream.newInstance(prefix);
            try {
                out.writeUInt32NoTag(tag);
                out.writeUInt32NoTag(block.length);
                out.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int remaining = available();
            if (position < prefix.length) {
                target.write(prefix, position, prefix.length - position);
                target.write(block);
            } else {
                target.write(block, position - prefix.length, remaining);
            }
            position = prefix.length + block.length;
            return remaining;
        }

        @Override
        public int available() {
            return prefix.length + block.length - position;
        }

        @Override
        public int read() {
            if (available() == 0) {
                return -1;
            }
            int b = position < prefix.length ? prefix[position] : block[position - prefix.length];
            position++;
            return b & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int available = available();
            if (available == 0) {
                return -1;
            }
            int n = Math.min(len, available);
            int done = 0;
            while (done < n) {
                int chunk;
                if (position < prefix.length) {
                    chunk = Math.min(n - done, prefix.length - position);
                    System.arraycopy(prefix, position, b, off + done, chunk);
                } else {
                    chunk = n - done;
                    System.arraycopy(block, position - prefix.length, b, off + done, chunk);
                }
                position += chunk;
                done += chunk;
            }
            return n;
        }
    }
}
