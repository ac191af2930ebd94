package io.sandbox.core.fabric.channel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.sandbox.core.fabric.policy.ChannelPolicies;
import io.sandbox.core.fabric.policy.PolicyResult;
import io.sandbox.core.fabric.policy.SignedData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;

/**
 * A channel's config transaction validator, as Fabric 2.5's {@code common/configtx} ({@code validator.go},
 * {@code update.go}, {@code configmap.go}): authorizes a {@code ConfigUpdate} against the current config (read set
 * versions, write set versions, every changed element's {@code mod_policy} resolved relative to its group and
 * satisfied by the update's {@code ConfigSignature}s) and computes the next config. Error texts are Fabric's,
 * except that a policy failure is explained by {@link PolicyResult#explanation()}. Immutable.
 */
public final class ConfigTxValidator {

    static final String ROOT = "Channel";
    private static final String GROUP = "[Group]  ";
    private static final String VALUE = "[Value]  ";
    private static final String POLICY = "[Policy] ";
    private static final Pattern ALLOWED = Pattern.compile("[a-zA-Z0-9.-]+");
    private static final int MAX_ID = 249;

    private final String channelId;
    private final long sequence;
    private final ChannelPolicies policies;
    private final Map<String, Element> current;

    /** One element of the config tree: a group, value or policy under its parent groups' path. */
    private record Element(List<String> path, String key, Message item) {
        long version() {
            return switch (item) {
                case ConfigGroup g -> g.getVersion();
                case ConfigValue v -> v.getVersion();
                case ConfigPolicy p -> p.getVersion();
                default -> throw new IllegalStateException();
            };
        }

        String modPolicy() {
            return switch (item) {
                case ConfigGroup g -> g.getModPolicy();
                case ConfigValue v -> v.getModPolicy();
                case ConfigPolicy p -> p.getModPolicy();
                default -> throw new IllegalStateException();
            };
        }
    }

    /**
     * @param policies the channel's current policies; their {@link ChannelPolicies#config()} is the current config
     * @throws IllegalArgumentException if the current config has an illegal element key
     */
    public ConfigTxValidator(String channelId, ChannelPolicies policies) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.policies = Objects.requireNonNull(policies, "policies");
        Config config = policies.config();
        this.sequence = config.getSequence();
        try {
            this.current = map(config.getChannelGroup());
        } catch (ConfigUpdateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The current config's sequence. */
    public long sequence() {
        return sequence;
    }

    /**
     * {@code ProposeConfigUpdate}: the config envelope a valid {@code CONFIG_UPDATE} envelope leads to (sequence + 1,
     * {@code last_update} = the envelope).
     *
     * @throws ConfigUpdateException with Fabric's message when the update is malformed or not authorized
     */
    public ConfigEnvelope propose(Envelope configUpdate) throws ConfigUpdateException {
        ConfigUpdateEnvelope updateEnvelope;
        try {
            updateEnvelope = toConfigUpdate(configUpdate);
        } catch (ConfigUpdateException e) {
            throw new ConfigUpdateException("error converting envelope to config update: " + e.getMessage());
        }
        Map<String, Element> proposed;
        try {
            proposed = authorize(updateEnvelope);
        } catch (ConfigUpdateException e) {
            throw new ConfigUpdateException("error authorizing update: " + e.getMessage());
        }
        ConfigGroup channelGroup;
        try {
            channelGroup = rebuild(ROOT, proposed);
        } catch (ConfigUpdateException e) {
            throw new ConfigUpdateException("could not turn configMap back to channelGroup: " + e.getMessage());
        }
        return ConfigEnvelope.newBuilder()
                .setConfig(Config.newBuilder().setSequence(sequence + 1).setChannelGroup(channelGroup))
                .setLastUpdate(configUpdate)
                .build();
    }

    /**
     * {@code Validate}: a committed config envelope is the next sequence and is exactly what its {@code last_update}
     * produces from the current config, under the current policies (the peer's check of a CONFIG transaction).
     */
    public void validate(ConfigEnvelope envelope) throws ConfigUpdateException {
        if (!envelope.hasConfig()) {
            throw new ConfigUpdateException("config envelope has nil config");
        }
        if (envelope.getConfig().getSequence() != sequence + 1) {
            throw new ConfigUpdateException("config currently at sequence " + sequence + ", cannot validate config at sequence "
                    + envelope.getConfig().getSequence());
        }
        Map<String, Element> proposed = authorize(toConfigUpdate(envelope.getLastUpdate()));
        ConfigGroup channelGroup;
        try {
            channelGroup = rebuild(ROOT, proposed);
        } catch (ConfigUpdateException e) {
            throw new ConfigUpdateException("could not turn configMap back to channelGroup: " + e.getMessage());
        }
        if (!channelGroup.equals(envelope.getConfig().getChannelGroup())) {
            throw new ConfigUpdateException("ConfigEnvelope LastUpdate did not produce the supplied config result");
        }
    }

    /** {@code protoutil.EnvelopeToConfigUpdate}. */
    private static ConfigUpdateEnvelope toConfigUpdate(Envelope envelope) throws ConfigUpdateException {
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                throw new ConfigUpdateException("bad payload: missing header");
            }
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (header.getType() != HeaderType.CONFIG_UPDATE_VALUE) {
                throw new ConfigUpdateException("not a tx of type CONFIG_UPDATE");
            }
            return ConfigUpdateEnvelope.parseFrom(payload.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigUpdateException("error unmarshalling envelope: " + e.getMessage());
        }
    }

    /** {@code authorizeUpdate}: the full proposed config map. */
    private Map<String, Element> authorize(ConfigUpdateEnvelope envelope) throws ConfigUpdateException {
        ConfigUpdate update;
        try {
            update = ConfigUpdate.parseFrom(envelope.getConfigUpdate());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigUpdateException("error unmarshalling ConfigUpdate: " + e.getMessage());
        }
        if (!update.getChannelId().equals(channelId)) {
            throw new ConfigUpdateException("ConfigUpdate for channel '" + update.getChannelId()
                    + "' but envelope for channel '" + channelId + "'");
        }
        Map<String, Element> readSet = mapping("error mapping ReadSet", update.hasReadSet() ? update.getReadSet() : null);
        for (Map.Entry<String, Element> read : new TreeMap<>(readSet).entrySet()) {
            Element existing = current.get(read.getKey());
            if (existing == null) {
                throw new ConfigUpdateException("error validating ReadSet: existing config does not contain element for "
                        + read.getKey() + " but was in the read set");
            }
            if (existing.version() != read.getValue().version()) {
                throw new ConfigUpdateException("error validating ReadSet: proposed update requires that key " + read.getKey()
                        + " be at version " + read.getValue().version() + ", but it is currently at version " + existing.version());
            }
        }
        Map<String, Element> writeSet = mapping("error mapping WriteSet", update.hasWriteSet() ? update.getWriteSet() : null);
        Map<String, Element> delta = new TreeMap<>();
        writeSet.forEach((key, value) -> {
            Element read = readSet.get(key);
            if (read == null || read.version() != value.version()) {
                delta.put(key, value);
            }
        });
        List<SignedData> signatures = signedData(envelope);
        try {
            verifyDelta(delta, signatures);
        } catch (ConfigUpdateException e) {
            throw new ConfigUpdateException("error validating DeltaSet: " + e.getMessage());
        }
        Map<String, Element> proposed = new HashMap<>(current);
        proposed.putAll(delta);
        for (String key : new TreeMap<>(writeSet).keySet()) {
            if (!proposed.containsKey(key)) {
                throw new ConfigUpdateException("full config did not verify: writeset contained key " + key
                        + " which did not appear in proposed config");
            }
        }
        return proposed;
    }

    private static Map<String, Element> mapping(String context, ConfigGroup group) throws ConfigUpdateException {
        try {
            return map(group);
        } catch (ConfigUpdateException e) {
            throw new ConfigUpdateException(context + ": " + e.getMessage());
        }
    }

    private void verifyDelta(Map<String, Element> delta, List<SignedData> signatures) throws ConfigUpdateException {
        if (delta.isEmpty()) {
            throw new ConfigUpdateException("delta set was empty -- update would have no effect");
        }
        for (Map.Entry<String, Element> entry : delta.entrySet()) {
            String key = entry.getKey();
            Element value = entry.getValue();
            String invalid = modPolicyProblem(value.modPolicy());
            if (invalid != null) {
                throw new ConfigUpdateException("invalid mod_policy for element " + key + ": " + invalid);
            }
            Element existing = current.get(key);
            if (existing == null) {
                if (value.version() != 0) {
                    throw new ConfigUpdateException("attempted to set key " + key + " to version " + value.version()
                            + ", but key does not exist");
                }
                continue;
            }
            if (value.version() != existing.version() + 1) {
                throw new ConfigUpdateException("attempt to set key " + key + " to version " + value.version()
                        + ", but key is at version " + existing.version());
            }
            String policyPath = policyPath(existing);
            if (!policies.hasPolicy(policyPath)) {
                throw new ConfigUpdateException("unexpected missing policy " + existing.modPolicy() + " for item " + key);
            }
            PolicyResult result = policies.evaluate(policyPath, signatures);
            if (!result.satisfied()) {
                throw new ConfigUpdateException("policy for " + key + " not satisfied: " + result.explanation());
            }
        }
    }

    /**
     * {@code policyForItem}: an absolute mod_policy, or any mod_policy of the root group, is resolved from
     * {@code /Channel}; a relative one from the item's group (for a group, the group itself).
     */
    private static String policyPath(Element item) {
        String modPolicy = item.modPolicy();
        if (modPolicy.startsWith("/")) {
            return modPolicy;
        }
        StringBuilder path = new StringBuilder("/").append(ROOT);
        if (!item.path().isEmpty()) {
            item.path().stream().skip(1).forEach(p -> path.append('/').append(p));
            if (item.item() instanceof ConfigGroup) {
                path.append('/').append(item.key());
            }
        }
        return path.append('/').append(modPolicy).toString();
    }

    /** {@code validateModPolicy}'s message, or null. */
    private static String modPolicyProblem(String modPolicy) {
        if (modPolicy.isEmpty()) {
            return "mod_policy not set";
        }
        String trimmed = modPolicy.startsWith("/") ? modPolicy.substring(1) : modPolicy;
        String[] elements = trimmed.split("/", -1);
        for (int i = 0; i < elements.length; i++) {
            String problem = configIdProblem(elements[i]);
            if (problem != null) {
                return "path element at " + i + " is invalid: " + problem;
            }
        }
        return null;
    }

    /** {@code validateConfigID}'s message, or null. */
    private static String configIdProblem(String id) {
        if (id.isEmpty()) {
            return "config ID illegal, cannot be empty";
        }
        if (id.length() > MAX_ID) {
            return "config ID illegal, cannot be longer than " + MAX_ID;
        }
        if (id.equals(".") || id.equals("..")) {
            return "name '" + id + "' for config ID is not allowed";
        }
        if (!ALLOWED.matcher(id).matches()) {
            return "config ID '" + id + "' contains illegal characters";
        }
        return null;
    }

    /** {@code protoutil.ConfigUpdateEnvelopeAsSignedData}: data = signature_header ‖ config_update. */
    private static List<SignedData> signedData(ConfigUpdateEnvelope envelope) throws ConfigUpdateException {
        List<SignedData> out = new ArrayList<>();
        for (ConfigSignature signature : envelope.getSignaturesList()) {
            SignatureHeader header;
            try {
                header = SignatureHeader.parseFrom(signature.getSignatureHeader());
            } catch (InvalidProtocolBufferException e) {
                throw new ConfigUpdateException("error unmarshalling SignatureHeader: " + e.getMessage());
            }
            ByteString data = signature.getSignatureHeader().concat(envelope.getConfigUpdate());
            out.add(new SignedData(data, header.getCreator(), signature.getSignature()));
        }
        return out;
    }

    // ---- configmap.go ----

    private static Map<String, Element> map(ConfigGroup root) throws ConfigUpdateException {
        Map<String, Element> out = new HashMap<>();
        if (root != null) {
            recurse(out, List.of(ROOT), root);
        }
        return out;
    }

    private static void recurse(Map<String, Element> out, List<String> path, ConfigGroup group) throws ConfigUpdateException {
        put(out, new Element(path.subList(0, path.size() - 1), path.get(path.size() - 1), group));
        for (Map.Entry<String, ConfigGroup> child : group.getGroupsMap().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(child.getKey());
            recurse(out, List.copyOf(next), child.getValue());
        }
        for (Map.Entry<String, ConfigValue> value : group.getValuesMap().entrySet()) {
            put(out, new Element(path, value.getKey(), value.getValue()));
        }
        for (Map.Entry<String, ConfigPolicy> policy : group.getPoliciesMap().entrySet()) {
            put(out, new Element(path, policy.getKey(), policy.getValue()));
        }
    }

    private static void put(Map<String, Element> out, Element element) throws ConfigUpdateException {
        String prefix = switch (element.item()) {
            case ConfigGroup g -> GROUP;
            case ConfigValue v -> VALUE;
            default -> POLICY;
        };
        String problem = configIdProblem(element.key());
        if (problem != null) {
            throw new ConfigUpdateException("illegal characters in key: " + prefix + ": " + problem);
        }
        out.put(key(prefix, element.path(), element.key()), element);
    }

    private static String key(String prefix, List<String> path, String key) {
        return prefix + (path.isEmpty() ? "/" + key : "/" + String.join("/", path) + "/" + key);
    }

    /** {@code recurseConfigMap}: a group's own fields and member names, each member taken from the map. */
    private static ConfigGroup rebuild(String path, Map<String, Element> map) throws ConfigUpdateException {
        Element element = map.get(GROUP + "/" + path);
        if (element == null) {
            throw new ConfigUpdateException("missing group at path: " + GROUP + "/" + path);
        }
        if (!(element.item() instanceof ConfigGroup group)) {
            throw new ConfigUpdateException("ConfigGroup not found at group path: " + GROUP + "/" + path);
        }
        ConfigGroup.Builder out = group.toBuilder();
        for (String key : group.getGroupsMap().keySet()) {
            out.putGroups(key, rebuild(path + "/" + key, map));
        }
        for (String key : group.getValuesMap().keySet()) {
            Element value = map.get(VALUE + "/" + path + "/" + key);
            if (value == null) {
                throw new ConfigUpdateException("missing value at path: " + VALUE + "/" + path + "/" + key);
            }
            if (!(value.item() instanceof ConfigValue v)) {
                throw new ConfigUpdateException("ConfigValue not found at value path: " + VALUE + "/" + path + "/" + key);
            }
            out.putValues(key, v);
        }
        for (String key : group.getPoliciesMap().keySet()) {
            Element policy = map.get(POLICY + "/" + path + "/" + key);
            if (policy == null) {
                throw new ConfigUpdateException("missing policy at path: " + POLICY + "/" + path + "/" + key);
            }
            if (!(policy.item() instanceof ConfigPolicy p)) {
                throw new ConfigUpdateException("ConfigPolicy not found at policy path: " + POLICY + "/" + path + "/" + key);
            }
            out.putPolicies(key, p);
        }
        return out.build();
    }
}
