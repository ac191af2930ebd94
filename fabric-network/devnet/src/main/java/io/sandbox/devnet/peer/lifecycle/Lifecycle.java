package io.sandbox.devnet.peer.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.devnet.chaincode.TransactionSimulator;
import io.sandbox.devnet.peer.state.StateView;
import io.sandbox.devnet.peer.validation.EndorsementPolicies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.ApproveChaincodeDefinitionForMyOrgResult;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeSource;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CheckCommitReadinessResult;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.GetInstalledChaincodePackageArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.GetInstalledChaincodePackageResult;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.InstallChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodeResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryInstalledChaincodesResult;

/**
 * The {@code _lifecycle} system chaincode of one peer, for chaincode-as-a-service, speaking Fabric 2.5's protocol:
 * the function names, {@code org.hyperledger.fabric.protos.peer.lifecycle} argument and result messages, error
 * messages and 404 statuses of {@code core/chaincode/lifecycle/scc.go} and {@code lifecycle.go}.
 *
 * <ul>
 *   <li>Peer-local functions ({@code InstallChaincode}, {@code QueryInstalledChaincode(s)},
 *       {@code GetInstalledChaincodePackage}) use the {@link InstalledChaincodes} store and no simulator; only an
 *       admin of the peer's local MSP may call them ({@link #invoke}'s {@code creatorIsLocalAdmin}, which the
 *       endorser decides as Fabric's channelless ACL check does).</li>
 *   <li>Channel functions run against a {@link TransactionSimulator}: their reads and writes of the
 *       {@code _lifecycle} namespace form the transaction's read-write set, which is endorsed, ordered and
 *       validated (with {@code /Channel/Application/LifecycleEndorsement}) like any other, and takes effect when
 *       committed. Channel ACLs ({@code _lifecycle/<Function>}) are the endorser's to check, before calling.</li>
 * </ul>
 *
 * <p><b>Deviation:</b> approvals are stored in public {@code _lifecycle} keys, not in the orgs' implicit private
 * collections (see {@link LifecycleState}); everything a client sends and receives is as in Fabric.
 *
 * <p><b>Commit:</b> as Fabric, {@code CommitChaincodeDefinition} requires the next sequence and the approval of
 * the endorsing peer's own org ({@code chaincode definition not agreed to by this org (<MSPID>)}); the majority
 * comes from {@code LifecycleEndorsement} (by default {@code MAJORITY Endorsement}) at validation, since each org's
 * peer only endorses a commit its org approved. Fabric's behaviour is the default; a devnet that endorses with
 * fewer peers than orgs can turn on {@link #requireMajorityAtEndorsement}, which also refuses, at endorsement, a
 * commit that a majority of the channel's application orgs has not approved (a devnet-only message).
 *
 * <p>Signature-policy endorsement policies are refused at approve and commit (the devnet's policy engine evaluates
 * channel policy references only). Thread-safe.
 */
public final class Lifecycle {

    /** The namespace. */
    public static final String NAMESPACE = LifecycleState.NAMESPACE;

    /** The ApplicationPolicy Fabric uses when a definition has no validation parameter. */
    public static final ByteString DEFAULT_ENDORSEMENT_POLICY = ApplicationPolicy.newBuilder()
            .setChannelConfigPolicyReference(EndorsementPolicies.DEFAULT_ENDORSEMENT).build().toByteString();

    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$");
    static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9_.+-]+$");
    static final Set<String> SYSTEM_CHAINCODES = Set.of("cscc", "escc", "lscc", "qscc", "vscc");
    static final Set<String> LOCAL_FUNCTIONS = Set.of("InstallChaincode", "QueryInstalledChaincode",
            "QueryInstalledChaincodes", "GetInstalledChaincodePackage");

    /**
     * The channel a function runs on.
     *
     * @param channelId        the channel
     * @param policies         its policies (for {@code /Channel/Application/Endorsement}'s existence)
     * @param applicationOrgs  the MSP ids of its application orgs (whose approvals count)
     */
    public record Channel(String channelId, ChannelPolicies policies, Set<String> applicationOrgs) {
        public Channel {
            Objects.requireNonNull(channelId, "channelId");
            Objects.requireNonNull(policies, "policies");
            applicationOrgs = Set.copyOf(new TreeSet<>(applicationOrgs));
        }

        /** From the channel's config: the application orgs' MSP ids. */
        public static Channel of(String channelId, ChannelPolicies policies, Config config) {
            return new Channel(channelId, policies, Lifecycle.applicationOrgs(config));
        }
    }

    private final String localMspId;
    private final InstalledChaincodes installed;
    private final Supplier<Map<String, StateView>> channels;
    private final boolean requireMajorityAtEndorsement;

    /**
     * @param localMspId                   the peer's org
     * @param installed                    the peer's package store
     * @param channels                     the committed state of each joined channel (for the references of
     *                                     installed packages); may return an empty map
     * @param requireMajorityAtEndorsement also refuse, when endorsing a commit, a definition not approved by a
     *                                     majority of the application orgs (see the class comment)
     */
    public Lifecycle(String localMspId, InstalledChaincodes installed, Supplier<Map<String, StateView>> channels,
            boolean requireMajorityAtEndorsement) {
        this.localMspId = Objects.requireNonNull(localMspId, "localMspId");
        this.installed = Objects.requireNonNull(installed, "installed");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.requireMajorityAtEndorsement = requireMajorityAtEndorsement;
    }

    /** As Fabric (no majority check at endorsement), with no channel references. */
    public Lifecycle(String localMspId, InstalledChaincodes installed) {
        this(localMspId, installed, Map::of, false);
    }

    public String localMspId() {
        return localMspId;
    }

    /** The chaincode definitions of a channel's committed state, seen from this peer. */
    public ChaincodeDefinitions definitions(StateView committed) {
        return new ChaincodeDefinitions(localMspId, committed, installed);
    }

    // --- dispatch ---------------------------------------------------------------------------------------------

    /**
     * Invokes {@code _lifecycle} as {@code scc.Invoke} does: {@code args} must be the function name and its
     * marshalled argument message; the answer is status 200 with the marshalled result, 404 for an undefined
     * namespace or a missing package, 500 otherwise, with Fabric's messages.
     *
     * @param channel             the channel, or null for a channelless proposal (peer-local functions only)
     * @param simulator           the transaction's simulator (required for channel functions)
     * @param creatorIsLocalAdmin whether the proposal's creator is an admin of the peer's local MSP
     */
    public Response invoke(Channel channel, TransactionSimulator simulator, List<ByteString> args,
            boolean creatorIsLocalAdmin) {
        if (args.isEmpty()) {
            return error(500, "lifecycle scc must be invoked with arguments");
        }
        if (args.size() != 2) {
            return error(500, "lifecycle scc operations require exactly two arguments but received " + args.size());
        }
        String function = args.get(0).toStringUtf8();
        ByteString input = args.get(1);
        if (LOCAL_FUNCTIONS.contains(function) && !creatorIsLocalAdmin) {
            return error(500, "Failed to authorize invocation due to failed ACL check: Failed verifying that"
                    + " proposal's creator satisfies local MSP principal during channelless check policy with"
                    + " policy [Admins]: the creator is not an admin of " + localMspId);
        }
        try {
            Message result = switch (function) {
                case "InstallChaincode" -> installChaincode(parse(InstallChaincodeArgs.parser(), input));
                case "QueryInstalledChaincode" -> queryInstalledChaincode(parse(QueryInstalledChaincodeArgs.parser(), input));
                case "QueryInstalledChaincodes" -> queryInstalledChaincodes(parse(QueryInstalledChaincodesArgs.parser(), input));
                case "GetInstalledChaincodePackage" -> getInstalledChaincodePackage(
                        parse(GetInstalledChaincodePackageArgs.parser(), input));
                case "ApproveChaincodeDefinitionForMyOrg" -> approveChaincodeDefinitionForMyOrg(
                        onChannel(channel, simulator, function), simulator,
                        parse(ApproveChaincodeDefinitionForMyOrgArgs.parser(), input));
                case "CheckCommitReadiness" -> checkCommitReadiness(onChannel(channel, simulator, function), simulator,
                        parse(CheckCommitReadinessArgs.parser(), input));
                case "CommitChaincodeDefinition" -> commitChaincodeDefinition(onChannel(channel, simulator, function),
                        simulator, parse(CommitChaincodeDefinitionArgs.parser(), input));
                case "QueryApprovedChaincodeDefinition" -> queryApprovedChaincodeDefinition(
                        onChannel(channel, simulator, function), simulator,
                        parse(QueryApprovedChaincodeDefinitionArgs.parser(), input));
                case "QueryChaincodeDefinition" -> queryChaincodeDefinition(onChannel(channel, simulator, function),
                        simulator, parse(QueryChaincodeDefinitionArgs.parser(), input));
                case "QueryChaincodeDefinitions" -> queryChaincodeDefinitions(onChannel(channel, simulator, function),
                        simulator, parse(QueryChaincodeDefinitionsArgs.parser(), input));
                default -> throw new LifecycleException("receiver *lifecycle.Invocation." + function
                        + " does not exist");
            };
            return Response.newBuilder().setStatus(200).setPayload(result.toByteString()).build();
        } catch (LifecycleException e) {
            if (e.notFound()) {
                return error(404, e.getMessage());
            }
            return error(500, "failed to invoke backing implementation of '" + function + "': " + e.getMessage());
        }
    }

    private static Channel onChannel(Channel channel, TransactionSimulator simulator, String function) {
        if (channel == null || simulator == null) {
            throw new LifecycleException("function " + function + " must be invoked on a channel");
        }
        return channel;
    }

    private static <T extends Message> T parse(Parser<T> parser, ByteString input) {
        try {
            return parser.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("failed to decode input arg: " + e.getMessage(), e);
        }
    }

    private static Response error(int status, String message) {
        return Response.newBuilder().setStatus(status).setMessage(message).build();
    }

    // --- peer-local -------------------------------------------------------------------------------------------

    public InstallChaincodeResult installChaincode(InstallChaincodeArgs args) {
        InstalledChaincodes.Installed cc = installed.install(args.getChaincodeInstallPackage().toByteArray());
        return InstallChaincodeResult.newBuilder().setPackageId(cc.packageId()).setLabel(cc.label()).build();
    }

    public QueryInstalledChaincodeResult queryInstalledChaincode(QueryInstalledChaincodeArgs args) {
        InstalledChaincodes.Installed cc = installed.get(args.getPackageId()).orElseThrow(() ->
                new LifecycleException("could not find chaincode with package id '" + args.getPackageId() + "'"));
        QueryInstalledChaincodeResult.Builder result = QueryInstalledChaincodeResult.newBuilder()
                .setPackageId(cc.packageId()).setLabel(cc.label());
        references(cc.packageId()).forEach((channel, list) -> {
            QueryInstalledChaincodeResult.References.Builder refs = QueryInstalledChaincodeResult.References.newBuilder();
            list.forEach(cd -> refs.addChaincodes(QueryInstalledChaincodeResult.Chaincode.newBuilder()
                    .setName(cd.name()).setVersion(cd.version())));
            result.putReferences(channel, refs.build());
        });
        return result.build();
    }

    public QueryInstalledChaincodesResult queryInstalledChaincodes(QueryInstalledChaincodesArgs args) {
        QueryInstalledChaincodesResult.Builder result = QueryInstalledChaincodesResult.newBuilder();
        for (InstalledChaincodes.Installed cc : installed.list()) {
            QueryInstalledChaincodesResult.InstalledChaincode.Builder ic = QueryInstalledChaincodesResult
                    .InstalledChaincode.newBuilder().setPackageId(cc.packageId()).setLabel(cc.label());
            references(cc.packageId()).forEach((channel, list) -> {
                QueryInstalledChaincodesResult.References.Builder refs =
                        QueryInstalledChaincodesResult.References.newBuilder();
                list.forEach(cd -> refs.addChaincodes(QueryInstalledChaincodesResult.Chaincode.newBuilder()
                        .setName(cd.name()).setVersion(cd.version())));
                ic.putReferences(channel, refs.build());
            });
            result.addInstalledChaincodes(ic);
        }
        return result.build();
    }

    public GetInstalledChaincodePackageResult getInstalledChaincodePackage(GetInstalledChaincodePackageArgs args) {
        byte[] bytes;
        try {
            bytes = installed.load(args.getPackageId());
        } catch (LifecycleException e) {
            throw new LifecycleException("could not load cc install package: " + e.getMessage(), e.notFound(), e);
        }
        return GetInstalledChaincodePackageResult.newBuilder().setChaincodeInstallPackage(ByteString.copyFrom(bytes))
                .build();
    }

    /** Per channel, the committed definitions this peer runs with the package. */
    private Map<String, List<ChaincodeDefinition>> references(String packageId) {
        Map<String, List<ChaincodeDefinition>> out = new TreeMap<>();
        channels.get().forEach((channelId, view) -> {
            ChaincodeDefinitions defs = definitions(view);
            List<ChaincodeDefinition> using = new ArrayList<>();
            for (ChaincodeDefinition cd : defs.definitions()) {
                defs.installedPackageFor(cd.name()).filter(l -> l.packageId().equals(packageId))
                        .ifPresent(l -> using.add(cd));
            }
            if (!using.isEmpty()) {
                out.put(channelId, using);
            }
        });
        return out;
    }

    // --- channel ----------------------------------------------------------------------------------------------

    public ApproveChaincodeDefinitionForMyOrgResult approveChaincodeDefinitionForMyOrg(Channel channel,
            TransactionSimulator simulator, ApproveChaincodeDefinitionForMyOrgArgs args) {
        validateInput(args.getName(), args.getVersion());
        String packageId = args.hasSource() && args.getSource().hasLocalPackage()
                ? args.getSource().getLocalPackage().getPackageId() : "";
        ChaincodeDefinition cd = withDefaults(channel, new ChaincodeDefinition(args.getName(), args.getSequence(),
                args.getVersion(), args.getEndorsementPlugin(), args.getValidationPlugin(),
                args.getValidationParameter(), args.getInitRequired(),
                CollectionConfigPackage.newBuilder().addAllConfig(args.getCollections().getConfigList()).build()));
        requireSupported(cd);
        LifecycleState state = LifecycleState.of(simulator);
        String name = args.getName();
        long current = state.sequence(name);
        long requested = args.getSequence();
        if (current == requested && requested == 0) {
            throw new LifecycleException("requested sequence is 0, but first definable sequence number is 1");
        }
        if (requested < current) {
            throw new LifecycleException("currently defined sequence " + current + " is larger than requested"
                    + " sequence " + requested);
        }
        if (requested > current + 1) {
            throw new LifecycleException("requested sequence " + requested + " is larger than the next available"
                    + " sequence number " + (current + 1));
        }
        var existing = state.approval(localMspId, name, requested);
        boolean sameApproval = existing.isPresent() && mismatches(cd, existing.get()).isEmpty()
                && packageIdOf(existing.get()).equals(packageId);
        if (requested == current) {
            ChaincodeDefinition defined = state.definition(name).orElseThrow(() -> new LifecycleException(
                    "missing metadata for currently committed sequence number (" + current + ")"));
            List<String> differ = mismatches(cd, approvalOf(defined, ""));
            if (!differ.isEmpty()) {
                throw new LifecycleException("attempted to redefine the current committed sequence (" + current
                        + ") for namespace " + name + " with different parameters: " + String.join(", ", differ)
                        + " do not match");
            }
            if (sameApproval) {
                throw new LifecycleException("attempted to redefine the current committed sequence (" + current
                        + ") for namespace " + name);
            }
        } else if (sameApproval) {
            throw new LifecycleException("attempted to redefine uncommitted sequence (" + requested
                    + ") for namespace " + name + " with unchanged content");
        }
        state.putApproval(localMspId, name, approvalOf(cd, packageId));
        return ApproveChaincodeDefinitionForMyOrgResult.getDefaultInstance();
    }

    public CheckCommitReadinessResult checkCommitReadiness(Channel channel, TransactionSimulator simulator,
            CheckCommitReadinessArgs args) {
        ChaincodeDefinition cd = new ChaincodeDefinition(args.getName(), args.getSequence(), args.getVersion(),
                args.getEndorsementPlugin(), args.getValidationPlugin(), args.getValidationParameter(),
                args.getInitRequired(), args.getCollections());
        Readiness readiness = readiness(channel, LifecycleState.of(simulator), cd);
        CheckCommitReadinessResult.Builder result = CheckCommitReadinessResult.newBuilder()
                .putAllApprovals(readiness.approvals);
        readiness.mismatches.forEach((org, items) -> result.putMismatches(org,
                CheckCommitReadinessResult.Mismatches.newBuilder().addAllItems(items).build()));
        return result.build();
    }

    public CommitChaincodeDefinitionResult commitChaincodeDefinition(Channel channel, TransactionSimulator simulator,
            CommitChaincodeDefinitionArgs args) {
        validateInput(args.getName(), args.getVersion());
        if (!channel.applicationOrgs().contains(localMspId)) {
            throw new LifecycleException("impossibly, this peer's org is processing requests for a channel it is"
                    + " not a member of");
        }
        ChaincodeDefinition cd = new ChaincodeDefinition(args.getName(), args.getSequence(), args.getVersion(),
                args.getEndorsementPlugin(), args.getValidationPlugin(), args.getValidationParameter(),
                args.getInitRequired(), args.getCollections());
        LifecycleState state = LifecycleState.of(simulator);
        Readiness readiness = readiness(channel, state, cd);
        ChaincodeDefinition withDefaults = readiness.definition;
        requireSupported(withDefaults);
        if (!readiness.approvals.getOrDefault(localMspId, false)) {
            throw new LifecycleException("chaincode definition not agreed to by this org (" + localMspId + ")");
        }
        if (requireMajorityAtEndorsement) {
            long approved = readiness.approvals.values().stream().filter(b -> b).count();
            int orgs = readiness.approvals.size();
            if (approved <= orgs / 2) {
                List<String> missing = readiness.approvals.entrySet().stream().filter(e -> !e.getValue())
                        .map(Map.Entry::getKey).toList();
                throw new LifecycleException("chaincode definition approved by " + approved + " of " + orgs
                        + " orgs, not by a majority (missing approvals: " + String.join(", ", missing)
                        + "); the transaction would fail the LifecycleEndorsement policy");
            }
        }
        state.putDefinition(withDefaults);
        return CommitChaincodeDefinitionResult.getDefaultInstance();
    }

    public QueryApprovedChaincodeDefinitionResult queryApprovedChaincodeDefinition(Channel channel,
            TransactionSimulator simulator, QueryApprovedChaincodeDefinitionArgs args) {
        LifecycleState state = LifecycleState.of(simulator);
        String name = args.getName();
        long requested = args.getSequence();
        if (requested == 0) {
            long current = state.sequence(name);
            requested = state.approval(localMspId, name, current + 1).isPresent() ? current + 1 : current;
        }
        long sequence = requested;
        return state.approval(localMspId, name, sequence).orElseThrow(() -> new LifecycleException(
                "could not fetch approved chaincode definition (name: '" + name + "', sequence: '" + sequence
                        + "') on channel '" + channel.channelId() + "'"));
    }

    public QueryChaincodeDefinitionResult queryChaincodeDefinition(Channel channel, TransactionSimulator simulator,
            QueryChaincodeDefinitionArgs args) {
        LifecycleState state = LifecycleState.of(simulator);
        ChaincodeDefinition cd = state.definition(args.getName()).orElseThrow(() ->
                LifecycleException.notFound("namespace " + args.getName() + " is not defined"));
        return QueryChaincodeDefinitionResult.newBuilder()
                .setSequence(cd.sequence())
                .setVersion(cd.version())
                .setEndorsementPlugin(cd.endorsementPlugin())
                .setValidationPlugin(cd.validationPlugin())
                .setValidationParameter(cd.validationParameter())
                .setInitRequired(cd.initRequired())
                .setCollections(cd.collections())
                .putAllApprovals(approvals(channel, state, cd).approvals)
                .build();
    }

    public QueryChaincodeDefinitionsResult queryChaincodeDefinitions(Channel channel, TransactionSimulator simulator,
            QueryChaincodeDefinitionsArgs args) {
        LifecycleState state = LifecycleState.of(simulator);
        QueryChaincodeDefinitionsResult.Builder result = QueryChaincodeDefinitionsResult.newBuilder();
        for (String name : state.definedNames()) {
            state.definition(name).ifPresent(cd -> result.addChaincodeDefinitions(
                    QueryChaincodeDefinitionsResult.ChaincodeDefinition.newBuilder()
                            .setName(name)
                            .setSequence(cd.sequence())
                            .setVersion(cd.version())
                            .setEndorsementPlugin(cd.endorsementPlugin())
                            .setValidationPlugin(cd.validationPlugin())
                            .setValidationParameter(cd.validationParameter())
                            .setInitRequired(cd.initRequired())
                            .setCollections(cd.collections())));
        }
        return result.build();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private record Readiness(ChaincodeDefinition definition, Map<String, Boolean> approvals,
            Map<String, List<String>> mismatches) {}

    /** {@code CheckCommitReadiness}: the next sequence, defaults applied, each org's approval. */
    private Readiness readiness(Channel channel, LifecycleState state, ChaincodeDefinition requested) {
        long current = state.sequence(requested.name());
        if (requested.sequence() != current + 1) {
            throw new LifecycleException("requested sequence is " + requested.sequence()
                    + ", but new definition must be sequence " + (current + 1));
        }
        return approvals(channel, state, withDefaults(channel, requested));
    }

    /** {@code QueryOrgApprovals}. */
    private static Readiness approvals(Channel channel, LifecycleState state, ChaincodeDefinition cd) {
        Map<String, Boolean> approvals = new LinkedHashMap<>();
        Map<String, List<String>> mismatches = new LinkedHashMap<>();
        for (String org : new TreeSet<>(channel.applicationOrgs())) {
            var approval = state.approval(org, cd.name(), cd.sequence());
            List<String> items = approval.map(a -> mismatches(cd, a)).orElse(List.of("ChaincodeParameters"));
            approvals.put(org, items.isEmpty());
            if (!items.isEmpty()) {
                mismatches.put(org, items);
            }
        }
        return new Readiness(cd, approvals, mismatches);
    }

    /** The fields of {@code ChaincodeParameters} that differ (Fabric's {@code IsSerialized} mismatch items). */
    static List<String> mismatches(ChaincodeDefinition cd, QueryApprovedChaincodeDefinitionResult approval) {
        List<String> items = new ArrayList<>();
        if (!cd.version().equals(approval.getVersion())
                || !cd.endorsementPlugin().equals(approval.getEndorsementPlugin())
                || cd.initRequired() != approval.getInitRequired()) {
            items.add("EndorsementInfo");
        }
        if (!cd.validationPlugin().equals(approval.getValidationPlugin())
                || !cd.validationParameter().equals(approval.getValidationParameter())) {
            items.add("ValidationInfo");
        }
        if (!cd.collections().toByteString().equals(approval.getCollections().toByteString())) {
            items.add("Collections");
        }
        return items;
    }

    private static QueryApprovedChaincodeDefinitionResult approvalOf(ChaincodeDefinition cd, String packageId) {
        ChaincodeSource source = packageId.isEmpty()
                ? ChaincodeSource.newBuilder().setUnavailable(ChaincodeSource.Unavailable.getDefaultInstance()).build()
                : ChaincodeSource.newBuilder().setLocalPackage(ChaincodeSource.Local.newBuilder()
                        .setPackageId(packageId)).build();
        return QueryApprovedChaincodeDefinitionResult.newBuilder()
                .setSequence(cd.sequence())
                .setVersion(cd.version())
                .setEndorsementPlugin(cd.endorsementPlugin())
                .setValidationPlugin(cd.validationPlugin())
                .setValidationParameter(cd.validationParameter())
                .setInitRequired(cd.initRequired())
                .setCollections(cd.collections())
                .setSource(source)
                .build();
    }

    private static String packageIdOf(QueryApprovedChaincodeDefinitionResult approval) {
        return approval.getSource().hasLocalPackage() ? approval.getSource().getLocalPackage().getPackageId() : "";
    }

    /** {@code SetChaincodeDefinitionDefaults}. */
    private static ChaincodeDefinition withDefaults(Channel channel, ChaincodeDefinition cd) {
        ByteString parameter = cd.validationParameter();
        if (parameter.isEmpty()) {
            if (!channel.policies().hasPolicy(EndorsementPolicies.DEFAULT_ENDORSEMENT)) {
                throw new LifecycleException("could not set defaults for chaincode definition in channel "
                        + channel.channelId() + ": policy '" + EndorsementPolicies.DEFAULT_ENDORSEMENT
                        + "' must be defined for channel '" + channel.channelId()
                        + "' before chaincode operations can be attempted");
            }
            parameter = DEFAULT_ENDORSEMENT_POLICY;
        }
        return new ChaincodeDefinition(cd.name(), cd.sequence(), cd.version(),
                cd.endorsementPlugin().isEmpty() ? "escc" : cd.endorsementPlugin(),
                cd.validationPlugin().isEmpty() ? "vscc" : cd.validationPlugin(),
                parameter, cd.initRequired(), cd.collections());
    }

    /** What the devnet can run: the built-in plugins, a channel-policy-reference endorsement policy, no collections. */
    private static void requireSupported(ChaincodeDefinition cd) {
        ApplicationPolicy policy;
        try {
            policy = cd.endorsementPolicy();
        } catch (IllegalStateException e) {
            throw new LifecycleException(e.getMessage(), e);
        }
        if (policy.getTypeCase() != ApplicationPolicy.TypeCase.CHANNEL_CONFIG_POLICY_REFERENCE) {
            throw new LifecycleException("endorsement policy of chaincode " + cd.name() + " is a " + policy.getTypeCase()
                    + ", which is not supported by the devnet: use a channel policy reference such as "
                    + EndorsementPolicies.DEFAULT_ENDORSEMENT);
        }
        if (!"escc".equals(cd.endorsementPlugin()) || !"vscc".equals(cd.validationPlugin())) {
            throw new LifecycleException("endorsement plugin '" + cd.endorsementPlugin() + "' / validation plugin '"
                    + cd.validationPlugin() + "' not supported by the devnet: only escc and vscc");
        }
        if (cd.collections().getConfigCount() > 0) {
            throw new LifecycleException("private data collections are not supported by the devnet");
        }
    }

    /** {@code validateInput} (name and version rules). */
    private static void validateInput(String name, String version) {
        if (!NAME.matcher(name).matches()) {
            throw new LifecycleException("error validating chaincode definition: invalid chaincode name '" + name
                    + "'. Names can only consist of alphanumerics, '_', and '-' and can only begin with alphanumerics");
        }
        if (SYSTEM_CHAINCODES.contains(name)) {
            throw new LifecycleException("error validating chaincode definition: chaincode name '" + name
                    + "' is the name of a system chaincode");
        }
        if (!VERSION.matcher(version).matches()) {
            throw new LifecycleException("error validating chaincode definition: invalid chaincode version '"
                    + version + "'. Versions can only consist of alphanumerics, '_', '-', '+', and '.'");
        }
    }

    /** The MSP ids of a channel config's application orgs ({@code Application} group, each org's {@code MSP}). */
    public static Set<String> applicationOrgs(Config config) {
        Set<String> out = new TreeSet<>();
        ConfigGroup application = config.getChannelGroup().getGroupsMap().get("Application");
        if (application == null) {
            return out;
        }
        application.getGroupsMap().forEach((orgName, org) -> {
            var msp = org.getValuesMap().get("MSP");
            if (msp == null) {
                return;
            }
            try {
                out.add(FabricMSPConfig.parseFrom(MSPConfig.parseFrom(msp.getValue()).getConfig()).getName());
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("malformed MSP value of application org " + orgName, e);
            }
        });
        return out;
    }
}
