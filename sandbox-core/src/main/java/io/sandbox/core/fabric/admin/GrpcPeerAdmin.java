package io.sandbox.core.fabric.admin;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.util.List;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.peer.ChannelInfo;
import org.hyperledger.fabric.protos.peer.ChannelQueryResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesResult;

/** {@link PeerAdmin} over gRPC. */
final class GrpcPeerAdmin implements PeerAdmin {

    private final PeerConnection peer;
    private final AdminIdentity admin;

    GrpcPeerAdmin(PeerEndpoint endpoint, AdminIdentity admin) {
        this.peer = new PeerConnection(endpoint);
        this.admin = admin;
    }

    @Override
    public PeerEndpoint endpoint() {
        return peer.endpoint();
    }

    @Override
    public void joinChannel(Block genesis) {
        Objects.requireNonNull(genesis, "genesis");
        invoke("", "cscc", "JoinChain", genesis.toByteString());
    }

    @Override
    public List<String> channels() {
        ProposalResponse response = invoke("", "cscc", "GetChannels");
        return parse(ChannelQueryResponse.parser(), response, "GetChannels").getChannelsList().stream()
                .map(ChannelInfo::getChannelId).toList();
    }

    @Override
    public ChainInfo chainInfo(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        ProposalResponse response = invoke(channelId, "qscc", "GetChainInfo", ByteString.copyFromUtf8(channelId));
        BlockchainInfo info = parse(BlockchainInfo.parser(), response, "GetChainInfo");
        return new ChainInfo(info.getHeight(), info.getCurrentBlockHash(), info.getPreviousBlockHash());
    }

    @Override
    public Block configBlock(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        ProposalResponse response = invoke(channelId, "cscc", "GetConfigBlock", ByteString.copyFromUtf8(channelId));
        return parse(Block.parser(), response, "GetConfigBlock");
    }

    @Override
    public Config channelConfig(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        ProposalResponse response = invoke(channelId, "cscc", "GetChannelConfig", ByteString.copyFromUtf8(channelId));
        return parse(Config.parser(), response, "GetChannelConfig");
    }

    @Override
    public String installChaincode(byte[] chaincodePackage) {
        Objects.requireNonNull(chaincodePackage, "chaincodePackage");
        ByteString args = InstallChaincodeArgs.newBuilder()
                .setChaincodeInstallPackage(ByteString.copyFrom(chaincodePackage)).build().toByteString();
        ProposalResponse response = invoke("", "_lifecycle", "InstallChaincode", args);
        return parse(InstallChaincodeResult.parser(), response, "InstallChaincode").getPackageId();
    }

    @Override
    public List<InstalledChaincode> queryInstalled() {
        ProposalResponse response = invoke("", "_lifecycle", "QueryInstalledChaincodes",
                QueryInstalledChaincodesArgs.getDefaultInstance().toByteString());
        return parse(QueryInstalledChaincodesResult.parser(), response, "QueryInstalledChaincodes")
                .getInstalledChaincodesList().stream()
                .map(c -> new InstalledChaincode(c.getPackageId(), c.getLabel())).toList();
    }

    private ProposalResponse invoke(String channelId, String chaincode, String function, ByteString... args) {
        List<ByteString> input = new java.util.ArrayList<>();
        input.add(ByteString.copyFromUtf8(function));
        input.addAll(List.of(args));
        return peer.process(Proposals.proposal(admin, channelId, chaincode, input).signed(), function);
    }

    static <T> T parse(Parser<T> parser, ProposalResponse response, String function) {
        try {
            return parser.parseFrom(response.getResponse().getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable " + function + " result: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        peer.close();
    }
}
