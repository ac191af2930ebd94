package io.sandbox.core.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;

/**
 * The Fabric client libraries resolve to versions that work together: fabric-protos' generated code
 * loads on the protobuf 4 runtime the build picked, and the shaded Netty transport fabric-gateway uses
 * at run time is present.
 */
class FabricLibrariesTest {

    @Test
    void fabricProtosRoundTripOnTheResolvedProtobufRuntime() throws Exception {
        Block block = Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(7).setPreviousHash(ByteString.copyFromUtf8("prev")))
                .build();

        Block parsed = Block.parseFrom(block.toByteArray());

        assertThat(parsed.getHeader().getNumber()).isEqualTo(7);
        assertThat(com.google.protobuf.RuntimeVersion.MAJOR).isGreaterThanOrEqualTo(4);
    }

    @Test
    void gatewayClientAndShadedNettyTransportAreOnTheClasspath() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget("127.0.0.1:1").usePlaintext().build();
        try {
            assertThat(Gateway.newInstance()).isNotNull();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
