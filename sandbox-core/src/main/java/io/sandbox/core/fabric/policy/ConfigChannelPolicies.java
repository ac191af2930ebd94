package io.sandbox.core.fabric.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.core.fabric.identity.NodeOuRole;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.hyperledger.fabric.protos.common.CombinedPrincipal;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.MSPIdentityAnonymity;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;

/**
 * {@link ChannelPolicies} over a parsed channel config. Policies are compiled once; evaluation is pure, so
 * instances are safe to share between threads.
 */
final class ConfigChannelPolicies implements ChannelPolicies {

    static final String ROOT = "Channel";
    private static final String APPLICATION_PREFIX = "/Channel/Application/";
    private static final String CHANNEL_READERS = "/Channel/Application/Readers";
    private static final String CHANNEL_WRITERS = "/Channel/Application/Writers";

    /** core/aclmgmt/defaultaclprovider.go (Fabric 2.5): channel ("c") resources. */
    static final Map<String, String> DEFAULT_CHANNEL_ACLS = Map.ofEntries(
            Map.entry("_lifecycle/CommitChaincodeDefinition", CHANNEL_WRITERS),
            Map.entry("_lifecycle/QueryChaincodeDefinition", CHANNEL_WRITERS),
            Map.entry("_lifecycle/QueryChaincodeDefinitions", CHANNEL_WRITERS),
            Map.entry("_lifecycle/CheckCommitReadiness", CHANNEL_WRITERS),
            Map.entry("lscc/ChaincodeExists", CHANNEL_READERS),
            Map.entry("lscc/GetDeploymentSpec", CHANNEL_READERS),
            Map.entry("lscc/GetChaincodeData", CHANNEL_READERS),
            Map.entry("lscc/GetInstantiatedChaincodes", CHANNEL_READERS),
            Map.entry("lscc/GetCollectionsConfig", CHANNEL_READERS),
            Map.entry("qscc/GetChainInfo", CHANNEL_READERS),
            Map.entry("qscc/GetBlockByNumber", CHANNEL_READERS),
            Map.entry("qscc/GetBlockByHash", CHANNEL_READERS),
            Map.entry("qscc/GetTransactionByID", CHANNEL_READERS),
            Map.entry("qscc/GetBlockByTxID", CHANNEL_READERS),
            Map.entry("cscc/GetConfigBlock", CHANNEL_READERS),
            Map.entry("cscc/GetChannelConfig", CHANNEL_READERS),
            Map.entry("peer/Propose", CHANNEL_WRITERS),
            Map.entry("peer/ChaincodeToChaincode", CHANNEL_WRITERS),
            Map.entry("event/Block", CHANNEL_READERS),
            Map.entry("event/FilteredBlock", CHANNEL_READERS),
            Map.entry("gateway/CommitStatus", CHANNEL_READERS),
            Map.entry("gateway/ChaincodeEvents", CHANNEL_READERS));

    /** core/aclmgmt/defaultaclprovider.go: peer-local ("p") resources, always checked against the local MSP. */
    static final Map<String, String> PEER_LOCAL_ACLS = Map.ofEntries(
            Map.entry("_lifecycle/InstallChaincode", "Admins"),
            Map.entry("_lifecycle/QueryInstalledChaincode", "Admins"),
            Map.entry("_lifecycle/GetInstalledChaincodePackage", "Admins"),
            Map.entry("_lifecycle/QueryInstalledChaincodes", "Admins"),
            Map.entry("_lifecycle/ApproveChaincodeDefinitionForMyOrg", "Admins"),
            Map.entry("_lifecycle/QueryApprovedChaincodeDefinition", "Admins"),
            Map.entry("snapshot/submitrequest", "Admins"),
            Map.entry("snapshot/cancelrequest", "Admins"),
            Map.entry("snapshot/listpending", "Admins"),
            Map.entry("lscc/Install", "Admins"),
            Map.entry("lscc/GetInstalledChaincodes", "Admins"),
            Map.entry("cscc/JoinChain", "Admins"),
            Map.entry("cscc/JoinChainBySnapshot", "Admins"),
            Map.entry("cscc/JoinBySnapshotStatus", "Admins"),
            Map.entry("cscc/GetChannels", "Members"));

    private final String channelId;
    private final Clock clock;
    private final Config config;
    private final Map<String, FabricMsp> msps = new TreeMap<>();
    /** Every policy by its path relative to /Channel, as Fabric's root policy manager exposes them. */
    private final Map<String, Compiled> policies = new HashMap<>();
    private final Map<String, String> acls = new HashMap<>();
    /**
     * Identities this config validated, by their serialized bytes, least recently used dropped first (Fabric's
     * {@code msp/cache} caches deserialization and validation the same way). An entry is used only while every
     * certificate of its path is within validity; the cache lives and dies with this config (its CRLs, CAs and
     * NodeOUs). Signatures are never cached.
     */
    private final Map<ByteString, Known> known = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteString, Known> eldest) {
            return size() > CACHED_IDENTITIES;
        }
    };

    private static final int CACHED_IDENTITIES = 4096;

    /** A validated signer and the interval in which that validation holds. */
    private record Known(Signer signer, Instant from, Instant until) {}

    ConfigChannelPolicies(String channelId, Config config, Clock clock) {
        this.channelId = channelId;
        this.clock = clock;
        this.config = config;
        if (!config.hasChannelGroup()) {
            throw new IllegalArgumentException("config has no channel group");
        }
        ConfigGroup channel = config.getChannelGroup();
        Map<String, ByteString> mspBytes = new HashMap<>();
        for (String section : List.of("Orderer", "Application")) {
            ConfigGroup group = channel.getGroupsMap().get(section);
            if (group == null) {
                continue;
            }
            for (Map.Entry<String, ConfigGroup> org : group.getGroupsMap().entrySet()) {
                ConfigValue value = org.getValue().getValuesMap().get("MSP");
                if (value == null) {
                    throw new IllegalArgumentException("organisation " + section + "/" + org.getKey() + " has no MSP value");
                }
                addMsp(section + "/" + org.getKey(), value.getValue(), mspBytes);
            }
        }
        compileGroup(ROOT, "", channel);
        ConfigGroup application = channel.getGroupsMap().get("Application");
        ConfigValue aclValue = application == null ? null : application.getValuesMap().get("ACLs");
        if (aclValue != null) {
            try {
                for (Map.Entry<String, APIResource> acl : ACLs.parseFrom(aclValue.getValue()).getAclsMap().entrySet()) {
                    String ref = acl.getValue().getPolicyRef();
                    if (ref.isEmpty()) {
                        continue; // Fabric warns and falls back to the default
                    }
                    acls.put(acl.getKey(), ref.startsWith("/") ? ref : APPLICATION_PREFIX + ref);
                }
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("Application ACLs value is not a peer.ACLs message", e);
            }
        }
    }

    private void addMsp(String where, ByteString value, Map<String, ByteString> seen) {
        MSPConfig mspConfig;
        try {
            mspConfig = MSPConfig.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("MSP value of " + where + " is not an MSPConfig", e);
        }
        FabricMsp msp;
        try {
            msp = new FabricMsp(mspConfig);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        ByteString previous = seen.putIfAbsent(msp.name, value);
        if (previous != null && !previous.equals(value)) {
            throw new IllegalArgumentException("two different definitions of MSP " + msp.name + " (second at " + where + ")");
        }
        msps.putIfAbsent(msp.name, msp);
    }

    /** Compiles a group's policies and those of its sub-groups, registering them under {@code prefix}. */
    private GroupNode compileGroup(String path, String prefix, ConfigGroup group) {
        GroupNode node = new GroupNode(path);
        for (Map.Entry<String, ConfigGroup> sub : new TreeMap<>(group.getGroupsMap()).entrySet()) {
            node.children.put(sub.getKey(),
                    compileGroup(path + "/" + sub.getKey(), prefix + sub.getKey() + "/", sub.getValue()));
        }
        for (Map.Entry<String, ConfigPolicy> entry : group.getPoliciesMap().entrySet()) {
            Compiled compiled = compile("/" + path + "/" + entry.getKey(), entry.getValue(), node);
            node.policies.put(entry.getKey(), compiled);
            policies.put(prefix + entry.getKey(), compiled);
        }
        return node;
    }

    private Compiled compile(String path, ConfigPolicy configPolicy, GroupNode group) {
        Policy policy = configPolicy.getPolicy();
        try {
            return switch (policy.getType()) {
                case Policy.PolicyType.SIGNATURE_VALUE -> {
                    SignaturePolicyEnvelope envelope = SignaturePolicyEnvelope.parseFrom(policy.getValue());
                    if (envelope.getVersion() != 0) {
                        yield new Reject(path + " cannot be compiled: signature policy version "
                                + envelope.getVersion() + " (only version 0 is understood)");
                    }
                    String problem = checkRule(envelope.hasRule() ? envelope.getRule() : null, envelope.getIdentitiesCount());
                    if (problem != null) {
                        yield new Reject(path + " cannot be compiled: " + problem);
                    }
                    yield SignatureRule.of(envelope);
                }
                case Policy.PolicyType.IMPLICIT_META_VALUE -> {
                    ImplicitMetaPolicy meta = ImplicitMetaPolicy.parseFrom(policy.getValue());
                    if (meta.getRule() == ImplicitMetaPolicy.Rule.UNRECOGNIZED) {
                        yield new Reject(path + " cannot be compiled: unknown implicit meta rule");
                    }
                    yield new ImplicitMeta(meta, group);
                }
                default -> new Reject(path + " has unsupported policy type " + policy.getType());
            };
        } catch (InvalidProtocolBufferException e) {
            return new Reject(path + " cannot be parsed: " + e.getMessage());
        }
    }

    /** cauthdsl.compile's errors: empty rule, signed_by index out of range. */
    private static String checkRule(SignaturePolicy rule, int identities) {
        if (rule == null) {
            return "empty policy element";
        }
        return switch (rule.getTypeCase()) {
            case N_OUT_OF -> {
                for (SignaturePolicy sub : rule.getNOutOf().getRulesList()) {
                    String problem = checkRule(sub, identities);
                    if (problem != null) {
                        yield problem;
                    }
                }
                yield null;
            }
            case SIGNED_BY -> rule.getSignedBy() < 0 || rule.getSignedBy() >= identities
                    ? "identity index out of range, requested " + rule.getSignedBy() + ", but identities length is " + identities
                    : null;
            default -> "empty policy element";
        };
    }

    // ---- public API ---------------------------------------------------------------------------------------

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Set<String> mspIds() {
        return Set.copyOf(msps.keySet());
    }

    @Override
    public boolean hasPolicy(String policyPath) {
        return policyPath != null && policies.containsKey(relative(policyPath));
    }

    @Override
    public ValidatedIdentity validate(ByteString serializedIdentity) throws IdentityException {
        Objects.requireNonNull(serializedIdentity, "serializedIdentity");
        Instant now = clock.instant();
        Signer signer = known(serializedIdentity, now);
        if (signer == null) {
            signer = deserialize(serializedIdentity);
            signer.validated(signer.msp.validate(signer.certificate, now));
        }
        return new ValidatedIdentity(signer.msp.name, signer.certificate, signer.roles());
    }

    @Override
    public PolicyResult evaluate(String policyPath, List<SignedData> signatures) {
        Objects.requireNonNull(signatures, "signatures");
        return evaluate(policyPath, signatures, true);
    }

    @Override
    public PolicyResult evaluateIdentities(String policyPath, List<ByteString> identities) {
        Objects.requireNonNull(identities, "identities");
        return evaluate(policyPath, identities.stream()
                .map(id -> new SignedData(ByteString.EMPTY, id, ByteString.EMPTY)).toList(), false);
    }

    private PolicyResult evaluate(String policyPath, List<SignedData> signatures, boolean verify) {
        Objects.requireNonNull(policyPath, "policyPath");
        String relative = relative(policyPath);
        Compiled policy = relative == null ? null : policies.get(relative);
        if (policy == null) {
            return new PolicyResult(false, "no policy at " + policyPath + " on channel "
                    + (channelId.isEmpty() ? "(unnamed)" : channelId));
        }
        List<String> ignored = new ArrayList<>();
        List<Signer> signers = validSigners(signatures, ignored, verify);
        Outcome outcome = policy.evaluate(signers);
        StringBuilder explanation = new StringBuilder(outcome.explanation())
                .append("; got signatures from ")
                .append(signers.stream().map(Signer::label).toList());
        if (!ignored.isEmpty()) {
            explanation.append("; ignored ").append(ignored);
        }
        return new PolicyResult(outcome.satisfied(), explanation.toString());
    }

    @Override
    public String aclPolicy(String resource) {
        Objects.requireNonNull(resource, "resource");
        String local = PEER_LOCAL_ACLS.get(resource);
        if (local != null) {
            throw new IllegalArgumentException("resource " + resource + " is peer-local: Fabric checks it against the "
                    + "peer's local MSP (" + local + "), never a channel policy");
        }
        String configured = acls.get(resource);
        if (configured != null) {
            return configured;
        }
        String fallback = DEFAULT_CHANNEL_ACLS.get(resource);
        if (fallback == null) {
            throw new IllegalArgumentException("Unmapped policy for " + resource
                    + ": neither the channel's ACLs nor Fabric's defaults name it");
        }
        return fallback;
    }

    @Override
    public String toString() {
        return "ChannelPolicies[" + channelId + ", MSPs " + msps.keySet() + ", " + policies.size() + " policies]";
    }

    // ---- signatures ---------------------------------------------------------------------------------------

    /** policies.SignatureSetToValidIdentities: deserialize, de-duplicate (before verifying), verify. */
    private List<Signer> validSigners(List<SignedData> signatures, List<String> ignored, boolean verify) {
        Set<String> seen = new HashSet<>();
        List<Signer> out = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < signatures.size(); i++) {
            SignedData sd = signatures.get(i);
            Signer signer = known(sd.identity(), now);
            try {
                signer = signer != null ? signer : deserialize(sd.identity());
            } catch (IdentityException e) {
                ignored.add("#" + i + ": " + e.getMessage());
                continue;
            }
            String key = signer.key();
            if (seen.contains(key)) {
                ignored.add("#" + i + ": duplicate signature of " + signer.describe());
                continue;
            }
            String problem = verify ? signer.msp.verifySignature(signer.certificate, sd.data().toByteArray(),
                    sd.signature().toByteArray()) : null;
            if (problem != null) {
                ignored.add("#" + i + ": " + signer.describe() + ": " + problem);
                continue;
            }
            seen.add(key);
            out.add(signer);
        }
        return out;
    }

    /** mspManager.DeserializeIdentity: the MSP by id, then the certificate (no validation yet). */
    private Signer deserialize(ByteString serialized) throws IdentityException {
        SerializedIdentity identity;
        try {
            identity = SerializedIdentity.parseFrom(serialized);
        } catch (InvalidProtocolBufferException e) {
            throw new IdentityException("not a serialized msp.SerializedIdentity: " + e.getMessage(), e);
        }
        FabricMsp msp = msps.get(identity.getMspid());
        if (msp == null) {
            throw new IdentityException("unknown MSP \"" + identity.getMspid() + "\": channel "
                    + (channelId.isEmpty() ? "" : channelId + " ") + "has MSPs " + msps.keySet());
        }
        return new Signer(serialized, msp, msp.parseIdentityCertificate(identity.getIdBytes()));
    }

    /** The cached signer of these identity bytes if its validation still holds at {@code now}, else null. */
    private Signer known(ByteString serialized, Instant now) {
        Known entry;
        synchronized (known) {
            entry = known.get(serialized);
        }
        return entry != null && !now.isBefore(entry.from()) && !now.isAfter(entry.until()) ? entry.signer() : null;
    }

    private void remember(Signer signer) {
        Instant[] window = signer.msp.validityWindow(signer.certificate);
        synchronized (known) {
            known.put(signer.serialized, new Known(signer, window[0], window[1]));
        }
    }

    private static String relative(String path) {
        if (path.startsWith("/")) {
            String prefix = "/" + ROOT + "/";
            return path.startsWith(prefix) ? path.substring(prefix.length()) : null;
        }
        return path;
    }

    // ---- evaluation ---------------------------------------------------------------------------------------

    /**
     * A deserialized signer; its MSP validation runs once, lazily, and a valid one is remembered in
     * {@link #known}, so a cached signer is shared between threads.
     */
    private final class Signer {
        final ByteString serialized;
        final FabricMsp msp;
        final X509Certificate certificate;
        private volatile Set<NodeOuRole> roles;
        private volatile String invalid;
        private volatile String key;

        Signer(ByteString serialized, FabricMsp msp, X509Certificate certificate) {
            this.serialized = serialized;
            this.msp = msp;
            this.certificate = certificate;
        }

        void validated(Set<NodeOuRole> validRoles) {
            roles = Set.copyOf(validRoles);
            remember(this);
        }

        boolean valid() {
            if (roles != null) {
                return true;
            }
            synchronized (this) {
                if (roles == null && invalid == null) {
                    try {
                        validated(msp.validate(certificate, clock.instant()));
                    } catch (IdentityException e) {
                        invalid = e.getMessage();
                    }
                }
            }
            return invalid == null;
        }

        /** Identifies the identity for de-duplication: MSP id and identity hash. */
        String key() {
            String k = key;
            if (k == null) {
                k = msp.name + msp.identityId(certificate);
                key = k;
            }
            return k;
        }

        Set<NodeOuRole> roles() {
            return valid() ? roles : Set.of();
        }

        String label() {
            if (!valid()) {
                return msp.name + " (invalid identity: " + invalid + ")";
            }
            if (roles.isEmpty()) {
                return msp.name + ".member";
            }
            return roles.stream().map(r -> msp.name + "." + r.organizationalUnit()).collect(Collectors.joining("+"));
        }

        String describe() {
            return msp.name + " \"" + FabricMsp.subject(certificate) + "\"";
        }
    }

    private record Outcome(boolean satisfied, String explanation) {}

    private sealed interface Compiled permits SignatureRule, ImplicitMeta, Reject {
        Outcome evaluate(List<Signer> signers);
    }

    private record Reject(String reason) implements Compiled {
        @Override
        public Outcome evaluate(List<Signer> signers) {
            return new Outcome(false, reason);
        }
    }

    private static final class GroupNode {
        final String path;
        final Map<String, GroupNode> children = new LinkedHashMap<>();
        final Map<String, Compiled> policies = new HashMap<>();

        GroupNode(String path) {
            this.path = path;
        }
    }

    /** common/policies/implicitmeta.go. */
    private record ImplicitMeta(ImplicitMetaPolicy definition, GroupNode group) implements Compiled {
        @Override
        public Outcome evaluate(List<Signer> signers) {
            int count = group.children.size();
            int threshold = switch (definition.getRule()) {
                case ANY -> 1;
                case ALL -> count;
                case MAJORITY -> count / 2 + 1;
                default -> throw new IllegalStateException();
            };
            if (count == 0) {
                threshold = 0; // "consider 0 to be a majority or any"
            }
            List<String> satisfied = new ArrayList<>();
            List<String> unsatisfied = new ArrayList<>();
            for (Map.Entry<String, GroupNode> child : group.children.entrySet()) {
                Compiled sub = child.getValue().policies.get(definition.getSubPolicy());
                String name = "/" + child.getValue().path + "/" + definition.getSubPolicy();
                if (sub == null) {
                    unsatisfied.add(name + " (no such policy)");
                    continue;
                }
                Outcome outcome = sub.evaluate(signers);
                if (outcome.satisfied()) {
                    satisfied.add(name);
                } else {
                    unsatisfied.add(name + " (" + outcome.explanation() + ")");
                }
            }
            boolean ok = satisfied.size() >= threshold;
            StringBuilder text = new StringBuilder(definition.getRule().name()).append(' ')
                    .append(definition.getSubPolicy()).append(" of /").append(group.path).append(" needs ")
                    .append(threshold).append(" of ").append(count).append(" sub-policies; satisfied ")
                    .append(satisfied);
            if (!ok && !unsatisfied.isEmpty()) {
                text.append("; not satisfied ").append(unsatisfied);
            }
            return new Outcome(ok, text.toString());
        }
    }

    /** common/cauthdsl/cauthdsl.go. */
    private record SignatureRule(SignaturePolicyEnvelope envelope, String explanation) implements Compiled {

        /** With its explanation worked out once, not on every evaluation. */
        static SignatureRule of(SignaturePolicyEnvelope envelope) {
            SignatureRule rule = new SignatureRule(envelope, "");
            return new SignatureRule(envelope, "needs " + rule.describe(envelope.getRule()));
        }

        @Override
        public Outcome evaluate(List<Signer> signers) {
            boolean ok = evaluate(envelope.getRule(), signers, new boolean[signers.size()]);
            return new Outcome(ok, explanation);
        }

        /**
         * NOutOf: each sub-rule sees a copy of {@code used}; only a satisfied sub-rule's marks are kept, so a
         * signature serves at most one principal per evaluation. SignedBy: the first unused signer satisfying the
         * principal is marked used.
         */
        private boolean evaluate(SignaturePolicy rule, List<Signer> signers, boolean[] used) {
            if (rule.hasSignedBy()) {
                MSPPrincipal principal = envelope.getIdentities(rule.getSignedBy());
                for (int i = 0; i < signers.size(); i++) {
                    if (!used[i] && satisfies(signers.get(i), principal)) {
                        used[i] = true;
                        return true;
                    }
                }
                return false;
            }
            int verified = 0;
            boolean[] scratch = new boolean[used.length];
            for (SignaturePolicy sub : rule.getNOutOf().getRulesList()) {
                System.arraycopy(used, 0, scratch, 0, used.length);
                if (evaluate(sub, signers, scratch)) {
                    verified++;
                    System.arraycopy(scratch, 0, used, 0, used.length);
                }
            }
            return verified >= rule.getNOutOf().getN();
        }

        private String describe(SignaturePolicy rule) {
            if (rule.hasSignedBy()) {
                return describe(envelope.getIdentities(rule.getSignedBy()));
            }
            return rule.getNOutOf().getN() + " of " + rule.getNOutOf().getRulesList().stream()
                    .map(this::describe).toList();
        }

        private static String describe(MSPPrincipal principal) {
            try {
                return switch (principal.getPrincipalClassification()) {
                    case ROLE -> {
                        MSPRole role = MSPRole.parseFrom(principal.getPrincipal());
                        yield role.getMspIdentifier() + "." + role.getRole().name().toLowerCase(Locale.ROOT);
                    }
                    case IDENTITY -> {
                        SerializedIdentity id = SerializedIdentity.parseFrom(principal.getPrincipal());
                        yield "identity of " + id.getMspid();
                    }
                    case ORGANIZATION_UNIT -> {
                        OrganizationUnit ou = OrganizationUnit.parseFrom(principal.getPrincipal());
                        yield ou.getMspIdentifier() + ".OU=" + ou.getOrganizationalUnitIdentifier();
                    }
                    case COMBINED -> CombinedPrincipal.parseFrom(principal.getPrincipal()).getPrincipalsList().stream()
                            .map(SignatureRule::describe).collect(Collectors.joining(" & ", "(", ")"));
                    case ANONYMITY -> MSPIdentityAnonymity.parseFrom(principal.getPrincipal()).getAnonymityType()
                            .name().toLowerCase(Locale.ROOT);
                    default -> "unknown principal";
                };
            } catch (InvalidProtocolBufferException e) {
                return "malformed principal";
            }
        }
    }

    /** msp.SatisfiesPrincipal with MSP v1.4.3 semantics (satisfiesPrincipalInternalV143 / V142 / PreV13). */
    private static boolean satisfies(Signer signer, MSPPrincipal principal) {
        FabricMsp msp = signer.msp;
        try {
            switch (principal.getPrincipalClassification()) {
                case ROLE -> {
                    MSPRole role = MSPRole.parseFrom(principal.getPrincipal());
                    if (!role.getMspIdentifier().equals(msp.name)) {
                        return false;
                    }
                    return switch (role.getRole()) {
                        case MEMBER -> signer.valid();
                        // An explicitly listed admin certificate satisfies without further validation, as in Fabric.
                        case ADMIN -> msp.isListedAdmin(signer.certificate)
                                || msp.nodeOusEnabled() && signer.roles().contains(NodeOuRole.ADMIN);
                        case CLIENT -> msp.nodeOusEnabled() && signer.roles().contains(NodeOuRole.CLIENT);
                        case PEER -> msp.nodeOusEnabled() && signer.roles().contains(NodeOuRole.PEER);
                        case ORDERER -> msp.nodeOusEnabled() && signer.roles().contains(NodeOuRole.ORDERER);
                        default -> false;
                    };
                }
                case IDENTITY -> {
                    SerializedIdentity id = SerializedIdentity.parseFrom(principal.getPrincipal());
                    if (!id.getMspid().equals(msp.name)) {
                        return false;
                    }
                    X509Certificate expected = msp.parseIdentityCertificate(id.getIdBytes());
                    return Arrays.equals(FabricMsp.encoded(expected), FabricMsp.encoded(signer.certificate))
                            && signer.valid();
                }
                case ORGANIZATION_UNIT -> {
                    OrganizationUnit ou = OrganizationUnit.parseFrom(principal.getPrincipal());
                    if (!ou.getMspIdentifier().equals(msp.name) || !signer.valid()) {
                        return false;
                    }
                    List<X509Certificate> chain = msp.chainOf(signer.certificate);
                    return chain != null && msp.organizationalUnits(signer.certificate, chain).stream()
                            .anyMatch(o -> o.ou().equals(ou.getOrganizationalUnitIdentifier())
                                    && Arrays.equals(o.certifiers(), ou.getCertifiersIdentifier().toByteArray()));
                }
                case COMBINED -> {
                    List<MSPPrincipal> parts = CombinedPrincipal.parseFrom(principal.getPrincipal()).getPrincipalsList();
                    if (parts.isEmpty()) {
                        return false;
                    }
                    for (MSPPrincipal part : parts) {
                        if (!satisfies(signer, part)) {
                            return false;
                        }
                    }
                    return true;
                }
                case ANONYMITY -> {
                    // X.509 identities are nominal, never anonymous.
                    return MSPIdentityAnonymity.parseFrom(principal.getPrincipal()).getAnonymityType()
                            == MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL;
                }
                default -> {
                    return false;
                }
            }
        } catch (InvalidProtocolBufferException | IdentityException e) {
            return false;
        }
    }
}
