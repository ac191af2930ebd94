package io.sandbox.devnet.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.StreamObserver;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ConfigBlocks;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.IdentityException;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.core.fabric.policy.ValidatedIdentity;
import io.sandbox.devnet.peer.state.TxRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChannelInfo;
import org.hyperledger.fabric.protos.peer.ChannelQueryResponse;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * {@code protos.Endorser}: unpacks and validates proposals as {@code core/endorser} does and serves the system
 * chaincodes {@code cscc} ({@code JoinChain}, {@code GetChannels}, {@code GetConfigBlock}, {@code GetChannelConfig})
 * and {@code qscc} ({@code GetChainInfo}, {@code GetBlockByNumber}, {@code GetTransactionByID}); everything else goes
 * to the {@link ProposalHandler}.
 */
final class EndorserService extends EndorserGrpc.EndorserImplBase {

    private static final Logger LOG = Logger.getLogger(EndorserService.class.getName());
    static final Set<String> SYSTEM_CHAINCODES = Set.of("cscc", "qscc", "_lifecycle");

    private final PeerNode peer;

    EndorserService(PeerNode peer) {
        this.peer = peer;
    }

    @Override
    public void processProposal(SignedProposal request, StreamObserver<ProposalResponse> responses) {
        ProposalResponse response;
        try {
            response = process(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "proposal failed", e);
            response = error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    static ProposalResponse error(String message) {
        return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(500).setMessage(message))
                .build();
    }

    private static ProposalResponse success(ByteString payload) {
        return ProposalResponse.newBuilder().setVersion(1)
                .setResponse(Response.newBuilder().setStatus(200).setPayload(payload)).build();
    }

    /** Processes a proposal on this peer as {@code ProcessProposal} does (the gateway's local endorsement). */
    ProposalResponse processLocally(SignedProposal signed) {
        try {
            return process(signed);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "proposal failed", e);
            return error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private ProposalResponse process(SignedProposal signed) {
        UnpackedProposal up;
        try {
            up = UnpackedProposal.unpack(signed);
        } catch (InvalidProtocolBufferException e) {
            return error(e.getMessage());
        } catch (UnpackedProposal.BadProposal e) {
            return error(e.getMessage());
        }
        PeerChannel channel = null;
        if (!up.channelId().isEmpty()) {
            channel = peer.channel(up.channelId());
            if (channel == null) {
                return error("channel '" + up.channelId() + "' not found");
            }
        }
        try {
            up.validateHeaders();
        } catch (UnpackedProposal.BadProposal e) {
            return error(e.getMessage());
        }
        if (channel != null) {
            String denied = validateCreator(up, channel.policies());
            if (denied != null) {
                return error(denied);
            }
            if (channel.state().txIdExists(up.txId())) {
                return error("duplicate transaction found [" + up.txId() + "]. Creator ["
                        + HexFormat.of().formatHex(up.creator().toByteArray()) + "]");
            }
            if (!SYSTEM_CHAINCODES.contains(up.chaincodeName())) {
                String aclDenied = checkAcl(channel, "peer/Propose", up);
                if (aclDenied != null) {
                    return error(aclDenied);
                }
            }
        } else if (!LocalMsp.verifies(certificate(up.creator()), signed.getProposalBytes(), signed.getSignature())) {
            // a channel-less proposal is validated against the local MSP (Fabric's endorser uses it as deserializer)
            return error("access denied: channel [] creator org [" + mspOf(up.creator()) + "]");
        }
        return switch (up.chaincodeName()) {
            case "cscc" -> cscc(up);
            case "qscc" -> qscc(up, channel);
            default -> {
                ProposalHandler handler = peer.proposalHandler();
                if (handler == null) {
                    yield error("make sure the chaincode " + up.chaincodeName() + " has been successfully defined on "
                            + "channel " + up.channelId() + " and try again: chaincode " + up.chaincodeName()
                            + " not found");
                }
                yield handler.process(up, channel, peer);
            }
        };
    }

    /** {@code UnpackedProposal.Validate}'s creator checks, with Fabric's messages. */
    private static String validateCreator(UnpackedProposal up, ChannelPolicies policies) {
        String msp = mspOf(up.creator());
        if (msp == null || !policies.mspIds().contains(msp)) {
            return "access denied: channel [" + up.channelId() + "] creator org unknown, creator is malformed";
        }
        String generic = "access denied: channel [" + up.channelId() + "] creator org [" + msp + "]";
        ValidatedIdentity identity;
        try {
            identity = policies.validate(up.creator());
        } catch (IdentityException e) {
            LOG.fine(() -> generic + ": " + e.getMessage());
            return generic;
        }
        if (!LocalMsp.verifies(identity.certificate(), up.signedProposal().getProposalBytes(),
                up.signedProposal().getSignature())) {
            return generic;
        }
        return null;
    }

    /** A channel ACL check over the signed proposal; null when allowed, else the reason. */
    static String checkAcl(PeerChannel channel, String resource, UnpackedProposal up) {
        ChannelPolicies policies = channel.policies();
        String policy = policies.aclPolicy(resource);
        PolicyResult result = policies.evaluate(policy, List.of(new SignedData(
                up.signedProposal().getProposalBytes(), up.creator(), up.signedProposal().getSignature())));
        return result.satisfied() ? null : "failed evaluating policy on signed data during check policy ["
                + policy + "]: [" + result.explanation() + "]";
    }

    private static String mspOf(ByteString creator) {
        try {
            return SerializedIdentity.parseFrom(creator).getMspid();
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private static X509Certificate certificate(ByteString creator) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(
                            SerializedIdentity.parseFrom(creator).getIdBytes().toByteArray()));
        } catch (Exception e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ cscc

    private ProposalResponse cscc(UnpackedProposal up) {
        List<ByteString> args = up.input().getArgsList();
        if (args.isEmpty()) {
            return error("Incorrect number of arguments, 0");
        }
        String fname = args.get(0).toStringUtf8();
        if (!fname.equals("GetChannels") && args.size() < 2) {
            return error("Incorrect number of arguments, " + args.size());
        }
        SignedProposal sp = up.signedProposal();
        switch (fname) {
            case "JoinChain" -> {
                Block block;
                try {
                    block = Block.parseFrom(args.get(1));
                } catch (InvalidProtocolBufferException e) {
                    return error("Failed to reconstruct the genesis block, " + e.getMessage());
                }
                String cid;
                try {
                    cid = PeerNode.channelIdOf(block);
                } catch (IllegalArgumentException e) {
                    return error("\"JoinChain\" request failed to extract channel id from the block due to ["
                            + e.getMessage() + "]");
                }
                String invalid = PeerNode.validateConfigBlock(block);
                if (invalid != null) {
                    return error("\"JoinChain\" for channelID = " + cid + " failed because of validation of "
                            + "configuration block, because of " + invalid);
                }
                String denied = peer.localMsp().check(up.creator(), sp.getProposalBytes(), sp.getSignature(), true);
                if (denied != null) {
                    return error("access denied for [JoinChain][" + cid + "]: [" + denied + "]");
                }
                try {
                    peer.joinChannel(cid, block);
                } catch (RuntimeException e) {
                    return error(e.getMessage());
                }
                return success(ByteString.EMPTY);
            }
            case "GetChannels" -> {
                String denied = peer.localMsp().check(up.creator(), sp.getProposalBytes(), sp.getSignature(), false);
                if (denied != null) {
                    return error("access denied for [GetChannels]: " + denied);
                }
                ChannelQueryResponse.Builder response = ChannelQueryResponse.newBuilder();
                for (String id : peer.channels()) {
                    response.addChannels(ChannelInfo.newBuilder().setChannelId(id));
                }
                return success(response.build().toByteString());
            }
            case "GetConfigBlock", "GetChannelConfig" -> {
                String cid = args.get(1).toStringUtf8();
                if (fname.equals("GetChannelConfig") && cid.isEmpty()) {
                    return error("empty channel name provided");
                }
                PeerChannel channel = peer.channel(cid);
                String denied;
                try {
                    denied = channel == null ? "Failed to get policy manager for channel [" + cid + "]"
                            : checkAcl(channel, "cscc/" + fname, up);
                } catch (IllegalArgumentException e) {
                    denied = e.getMessage();
                }
                if (denied != null) {
                    return error("access denied for [" + fname + "][" + cid + "]: " + denied);
                }
                // peer.ConfigBlockFromLedger: the block the newest block's last-config index points to
                Block config = channel.store().block(ConfigBlocks.lastConfigIndex(channel.store().lastBlock()));
                return success(fname.equals("GetConfigBlock") ? config.toByteString()
                        : ConfigBlocks.config(config).toByteString());
            }
            default -> {
                return error("Requested function " + fname + " not found.");
            }
        }
    }

    // ------------------------------------------------------------------ qscc

    private ProposalResponse qscc(UnpackedProposal up, PeerChannel proposalChannel) {
        List<ByteString> args = up.input().getArgsList();
        if (args.size() < 2) {
            return error("Incorrect number of arguments, " + args.size());
        }
        String fname = args.get(0).toStringUtf8();
        String cid = args.get(1).toStringUtf8();
        if (!fname.equals("GetChainInfo") && args.size() < 3) {
            return error("missing 3rd argument for " + fname);
        }
        PeerChannel channel = peer.channel(cid);
        if (channel == null) {
            return error("Invalid chain ID, " + cid);
        }
        String resource = "qscc/" + fname;
        String denied;
        try {
            denied = checkAcl(channel, resource, up);
        } catch (IllegalArgumentException e) {
            denied = e.getMessage();
        }
        if (denied != null) {
            return error("access denied for [" + fname + "][" + cid + "]: [" + denied + "]");
        }
        switch (fname) {
            case "GetChainInfo" -> {
                Block last = channel.store().lastBlock();
                return success(BlockchainInfo.newBuilder()
                        .setHeight(channel.height())
                        .setCurrentBlockHash(ByteString.copyFrom(BlockHashes.headerHash(last.getHeader())))
                        .setPreviousBlockHash(last.getHeader().getPreviousHash())
                        .build().toByteString());
            }
            case "GetBlockByNumber" -> {
                long number;
                try {
                    number = Long.parseUnsignedLong(args.get(2).toString(StandardCharsets.UTF_8));
                } catch (NumberFormatException e) {
                    return error("Failed to parse block number with error strconv.ParseUint: parsing \""
                            + args.get(2).toStringUtf8() + "\": invalid syntax");
                }
                if (Long.compareUnsigned(number, channel.height()) >= 0) {
                    return error("Failed to get block number " + Long.toUnsignedString(number)
                            + ", error Entry not found in index");
                }
                return success(channel.store().block(number).toByteString());
            }
            case "GetTransactionByID" -> {
                String txId = args.get(2).toStringUtf8();
                TxRecord record = channel.state().transaction(txId).orElse(null);
                if (record == null) {
                    return error("Failed to get transaction with id " + txId + ", error Entry not found in index");
                }
                try {
                    Block block = channel.store().block(record.blockNum());
                    Envelope envelope = Envelope.parseFrom(block.getData().getData(record.txNum()));
                    return success(ProcessedTransaction.newBuilder().setTransactionEnvelope(envelope)
                            .setValidationCode(record.validationCode().getNumber()).build().toByteString());
                } catch (InvalidProtocolBufferException e) {
                    return error(e.getMessage());
                }
            }
            default -> {
                return error("Requested function " + fname + " not found.");
            }
        }
    }
}
