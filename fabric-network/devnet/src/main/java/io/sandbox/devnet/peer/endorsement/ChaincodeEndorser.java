package io.sandbox.devnet.peer.endorsement;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import io.sandbox.devnet.chaincode.ChaincodeConnection;
import io.sandbox.devnet.chaincode.ChaincodeException;
import io.sandbox.devnet.chaincode.ChaincodeRuntime;
import io.sandbox.devnet.chaincode.TransactionSimulator;
import io.sandbox.devnet.peer.PeerChannel;
import io.sandbox.devnet.peer.PeerNode;
import io.sandbox.devnet.peer.ProposalHandler;
import io.sandbox.devnet.peer.UnpackedProposal;
import io.sandbox.devnet.peer.lifecycle.ChaincodeDefinition;
import io.sandbox.devnet.peer.lifecycle.ChaincodeDefinitions;
import io.sandbox.devnet.peer.lifecycle.InstalledChaincodes;
import io.sandbox.devnet.peer.lifecycle.Lifecycle;
import io.sandbox.devnet.peer.state.StateView;
import io.sandbox.devnet.peer.state.WorldState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * The peer's endorser for {@code _lifecycle} and user chaincodes (a {@link ProposalHandler}), as Fabric's
 * {@code core/endorser} with the default {@code escc} plugin:
 *
 * <ul>
 *   <li>{@code _lifecycle}: peer-local functions need an admin of the peer's local MSP; channel functions check
 *       the channel ACL {@code _lifecycle/<Function>} and are simulated on a {@link WorldState#snapshot()}
 *       (chaincode id version {@code syscc}, as Fabric's system chaincodes).</li>
 *   <li>a user chaincode: its committed definition, the package this org approved for it and installed here, a
 *       cached {@link ChaincodeConnection} to that package's chaincode server, {@link ChaincodeRuntime#execute}
 *       (chaincode id version = the definition's version).</li>
 * </ul>
 *
 * The answer is built by {@link Endorsements#respond}. {@link #attach} also makes the peer validate with the
 * endorsement policies of each channel's committed definitions. Not supported: {@code --init-required}
 * definitions' init enforcement, private data, chaincode-to-chaincode calls, {@code ChaincodeInterest}.
 */
public final class ChaincodeEndorser implements ProposalHandler, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChaincodeEndorser.class.getName());

    private final Lifecycle lifecycle;
    private final ChaincodeRuntime runtime;
    private final Duration registrationTimeout;
    private final Map<String, ChaincodeConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, CachedConfig> configs = new ConcurrentHashMap<>();

    /** {@code _lifecycle} functions whose ACL is the local MSP's Admins ({@code defaultaclprovider.go}). */
    static final Set<String> PEER_LOCAL_ACL = Set.of("InstallChaincode", "QueryInstalledChaincode",
            "GetInstalledChaincodePackage", "QueryInstalledChaincodes", "ApproveChaincodeDefinitionForMyOrg",
            "QueryApprovedChaincodeDefinition", "QueryApprovedChaincodeDefinitions");

    private record CachedConfig(long height, Lifecycle.Channel channel) {}

    /** What a user chaincode's proposal needs from the committed lifecycle state, at one state height. */
    private record Resolved(long height, Optional<ChaincodeDefinition> definition,
            Optional<ChaincodeDefinitions.LocalChaincode> local) {}

    /** Per channel and chaincode: the lifecycle state only changes with a committed block, so cached by height. */
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();

    public ChaincodeEndorser(Lifecycle lifecycle, ChaincodeRuntime runtime, Duration registrationTimeout) {
        this.lifecycle = lifecycle;
        this.runtime = runtime;
        this.registrationTimeout = registrationTimeout;
    }

    /**
     * Creates the endorser of a peer (packages under the peer's data dir), plugs it as the peer's proposal
     * handler and the committed definitions as its per-channel endorsement policies.
     */
    public static ChaincodeEndorser attach(PeerNode peer) {
        InstalledChaincodes installed = new InstalledChaincodes(peer.config().dataDir());
        Lifecycle lifecycle = new Lifecycle(peer.config().mspId(), installed, () -> {
            Map<String, StateView> states = new TreeMap<>();
            for (String id : peer.channels()) {
                PeerChannel channel = peer.channel(id);
                if (channel != null) {
                    states.put(id, channel.state());
                }
            }
            return states;
        }, false);
        ChaincodeEndorser endorser = new ChaincodeEndorser(lifecycle,
                new ChaincodeRuntime(ChaincodeRuntime.DEFAULT_EXECUTE_TIMEOUT),
                ChaincodeConnection.DEFAULT_REGISTRATION_TIMEOUT);
        peer.setChannelEndorsementPolicies(channelId -> {
            PeerChannel channel = peer.channel(channelId);
            return channel == null ? null : lifecycle.definitions(channel.state()).endorsementPolicies();
        });
        peer.setProposalHandler(endorser);
        return endorser;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** The committed chaincode definitions of a channel, as this peer sees them. */
    public ChaincodeDefinitions definitions(PeerChannel channel) {
        return lifecycle.definitions(channel.state());
    }

    @Override
    public ProposalResponse process(UnpackedProposal proposal, PeerChannel channel, PeerNode peer) {
        try {
            if (Lifecycle.NAMESPACE.equals(proposal.chaincodeName())) {
                return lifecycle(proposal, channel, peer);
            }
            if (channel == null) {
                return error("make sure the chaincode " + proposal.chaincodeName() + " has been successfully defined"
                        + " on channel  and try again: chaincode " + proposal.chaincodeName() + " not found");
            }
            return userChaincode(proposal, channel, peer);
        } catch (ChaincodeException e) {
            return error("error in simulation: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "endorsement failed", e);
            return error(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private ProposalResponse lifecycle(UnpackedProposal up, PeerChannel channel, PeerNode peer) {
        List<ByteString> args = up.input().getArgsList();
        String function = args.isEmpty() ? "" : args.get(0).toStringUtf8();
        boolean admin = peer.isLocalAdmin(up.creator(), up.signedProposal().getProposalBytes(),
                up.signedProposal().getSignature());
        ChaincodeID ccid = ChaincodeID.newBuilder().setName(Lifecycle.NAMESPACE).setVersion("syscc").build();
        if (channel == null) {
            Response response = lifecycle.invoke(null, null, args, admin);
            // Fabric: a channel-less invocation is answered unendorsed
            return ProposalResponse.newBuilder().setResponse(response).build();
        }
        if (PEER_LOCAL_ACL.contains(function)) {
            // core/aclmgmt: these resources are checked against the local MSP's Admins
            if (!admin && !List.of("InstallChaincode", "QueryInstalledChaincode",
                    "QueryInstalledChaincodes", "GetInstalledChaincodePackage").contains(function)) {
                return error("Failed to authorize invocation due to failed ACL check: Failed verifying that "
                        + "proposal's creator satisfies local MSP principal during channelless check policy with "
                        + "policy [Admins]: the creator is not an admin of " + peer.config().mspId());
            }
        } else if (!function.isEmpty()) {
            String denied = checkAcl(channel, "_lifecycle/" + function, up);
            if (denied != null) {
                return error("Failed to authorize invocation due to failed ACL check: " + denied);
            }
        }
        Lifecycle.Channel lc = channelOf(channel);
        Response response;
        TxReadWriteSet results;
        try (WorldState.Snapshot snapshot = channel.state().snapshot()) {
            TransactionSimulator simulator = new TransactionSimulator(snapshot, up.txId());
            response = lifecycle.invoke(lc, simulator, args, admin);
            results = simulator.results();
        }
        return Endorsements.respond(up.proposalHash(), response, results.toByteString(), ByteString.EMPTY, ccid,
                peer.config().identity());
    }

    private ProposalResponse userChaincode(UnpackedProposal up, PeerChannel channel, PeerNode peer) {
        String name = up.chaincodeName();
        Resolved r = resolve(channel, name);
        String prefix = "make sure the chaincode " + name + " has been successfully defined on channel "
                + channel.id() + " and try again: ";
        var definition = r.definition();
        if (definition.isEmpty()) {
            return error(prefix + "chaincode " + name + " not found");
        }
        Optional<ChaincodeDefinitions.LocalChaincode> local = r.local();
        if (local.isEmpty()) {
            return error(prefix + "chaincode definition for '" + name + "' exists, but chaincode is not installed");
        }
        ChaincodeConnection connection = connection(local.get());
        ChaincodeRuntime.Result result;
        try (WorldState.Snapshot snapshot = channel.state().snapshot()) {
            result = runtime.execute(connection, new ChaincodeRuntime.Invocation(channel.id(), up.txId(), name,
                    up.input(), up.signedProposal(), false), snapshot);
        }
        ByteString events = result.event().map(e -> e.toByteString()).orElse(ByteString.EMPTY);
        ChaincodeID ccid = ChaincodeID.newBuilder().setName(name).setVersion(definition.get().version()).build();
        return Endorsements.respond(up.proposalHash(), result.response(), result.readWriteSet().toByteString(),
                events, ccid, peer.config().identity());
    }

    private Resolved resolve(PeerChannel channel, String name) {
        String key = channel.id() + '\u0000' + name;
        long height = channel.state().height();
        Resolved cached = resolved.get(key);
        if (cached != null && cached.height() == height) {
            return cached;
        }
        // read under one state read lock so definition and approval belong to the same height
        Resolved fresh = channel.state().read(view -> {
            ChaincodeDefinitions definitions = lifecycle.definitions(view);
            var definition = definitions.definition(name);
            return new Resolved(channel.state().height(), definition,
                    definition.isEmpty() ? Optional.empty() : definitions.installedPackageFor(name));
        });
        if (fresh.local().isEmpty()) {
            return fresh; // not installed (yet): ask again next time, an install does not change the height
        }
        resolved.put(key, fresh);
        return fresh;
    }

    private ChaincodeConnection connection(ChaincodeDefinitions.LocalChaincode local) {
        ChaincodeConnection existing = connections.get(local.packageId());
        if (existing != null) {
            return existing;
        }
        synchronized (connections) {
            return connections.computeIfAbsent(local.packageId(),
                    id -> ChaincodeConnection.open(local.connectionInfo(), registrationTimeout, id));
        }
    }

    /** The channel's application orgs (from its latest config block), cached by height. */
    private Lifecycle.Channel channelOf(PeerChannel channel) {
        long height = channel.height();
        CachedConfig cached = configs.get(channel.id());
        if (cached != null && cached.height() == height) {
            return cached.channel();
        }
        Config config = latestConfig(channel, height);
        Lifecycle.Channel lc = Lifecycle.Channel.of(channel.id(), channel.policies(), config);
        configs.put(channel.id(), new CachedConfig(height, lc));
        return lc;
    }

    private static Config latestConfig(PeerChannel channel, long height) {
        for (long n = height - 1; n >= 0; n--) {
            Block block = channel.store().block(n);
            if (block.getData().getDataCount() != 1) {
                continue;
            }
            try {
                Payload payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
                if (ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getType()
                        == HeaderType.CONFIG_VALUE) {
                    return ConfigEnvelope.parseFrom(payload.getData()).getConfig();
                }
            } catch (InvalidProtocolBufferException e) {
                // not a config block
            }
        }
        throw new IllegalStateException("channel " + channel.id() + " has no config block");
    }

    private static String checkAcl(PeerChannel channel, String resource, UnpackedProposal up) {
        String policy;
        try {
            policy = channel.policies().aclPolicy(resource);
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (policy == null || policy.isEmpty()) {
            return "no ACL policy for resource " + resource;
        }
        PolicyResult result = channel.policies().evaluate(policy, List.of(new SignedData(
                up.signedProposal().getProposalBytes(), up.creator(), up.signedProposal().getSignature())));
        return result.satisfied() ? null : "failed evaluating policy on signed data during check policy ["
                + policy + "]: [" + result.explanation() + "]";
    }

    private static ProposalResponse error(String message) {
        return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(500).setMessage(message))
                .build();
    }

    @Override
    public void close() {
        connections.values().forEach(ChaincodeConnection::close);
        connections.clear();
    }
}
