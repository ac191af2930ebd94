package io.sandbox.core.fabric.channel;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigValue;

/**
 * The {@code ConfigUpdate} that turns one config into another, as configtxlator's {@code compute_update}
 * ({@code internal/configtxlator/update/update.go}): the read set pins the versions the change depends on, the write
 * set carries every changed element at version + 1 (a new one at 0), and a group whose members were added or removed
 * (or whose mod_policy changed) is written whole at version + 1 so that its mod_policy is checked.
 */
public final class ConfigUpdates {

    private ConfigUpdates() {}

    /**
     * @throws IllegalArgumentException when either config has no channel group or they do not differ
     */
    public static ConfigUpdate compute(String channelId, Config original, Config updated) {
        Objects.requireNonNull(channelId, "channelId");
        if (!original.hasChannelGroup()) {
            throw new IllegalArgumentException("no channel group included for original config");
        }
        if (!updated.hasChannelGroup()) {
            throw new IllegalArgumentException("no channel group included for updated config");
        }
        Sets sets = group(original.getChannelGroup(), updated.getChannelGroup());
        if (!sets.updated) {
            throw new IllegalArgumentException("no differences detected between original and updated config");
        }
        return ConfigUpdate.newBuilder().setChannelId(channelId).setReadSet(sets.read).setWriteSet(sets.write).build();
    }

    private record Sets(ConfigGroup read, ConfigGroup write, boolean updated) {}

    private static Sets group(ConfigGroup original, ConfigGroup updated) {
        Map<String, ConfigPolicy> readPolicies = new HashMap<>();
        Map<String, ConfigPolicy> writePolicies = new HashMap<>();
        Map<String, ConfigPolicy> samePolicies = new HashMap<>();
        boolean membersChanged = false;
        for (var entry : original.getPoliciesMap().entrySet()) {
            ConfigPolicy before = entry.getValue();
            ConfigPolicy after = updated.getPoliciesMap().get(entry.getKey());
            if (after == null) {
                membersChanged = true;
            } else if (before.getModPolicy().equals(after.getModPolicy()) && before.getPolicy().equals(after.getPolicy())) {
                samePolicies.put(entry.getKey(), ConfigPolicy.newBuilder().setVersion(before.getVersion()).build());
            } else {
                writePolicies.put(entry.getKey(), ConfigPolicy.newBuilder().setVersion(before.getVersion() + 1)
                        .setModPolicy(after.getModPolicy()).setPolicy(after.getPolicy()).build());
            }
        }
        for (var entry : updated.getPoliciesMap().entrySet()) {
            if (!original.getPoliciesMap().containsKey(entry.getKey())) {
                membersChanged = true;
                writePolicies.put(entry.getKey(), ConfigPolicy.newBuilder().setVersion(0)
                        .setModPolicy(entry.getValue().getModPolicy()).setPolicy(entry.getValue().getPolicy()).build());
            }
        }

        Map<String, ConfigValue> readValues = new HashMap<>();
        Map<String, ConfigValue> writeValues = new HashMap<>();
        Map<String, ConfigValue> sameValues = new HashMap<>();
        for (var entry : original.getValuesMap().entrySet()) {
            ConfigValue before = entry.getValue();
            ConfigValue after = updated.getValuesMap().get(entry.getKey());
            if (after == null) {
                membersChanged = true;
            } else if (before.getModPolicy().equals(after.getModPolicy()) && before.getValue().equals(after.getValue())) {
                sameValues.put(entry.getKey(), ConfigValue.newBuilder().setVersion(before.getVersion()).build());
            } else {
                writeValues.put(entry.getKey(), ConfigValue.newBuilder().setVersion(before.getVersion() + 1)
                        .setModPolicy(after.getModPolicy()).setValue(after.getValue()).build());
            }
        }
        for (var entry : updated.getValuesMap().entrySet()) {
            if (!original.getValuesMap().containsKey(entry.getKey())) {
                membersChanged = true;
                writeValues.put(entry.getKey(), ConfigValue.newBuilder().setVersion(0)
                        .setModPolicy(entry.getValue().getModPolicy()).setValue(entry.getValue().getValue()).build());
            }
        }

        Map<String, ConfigGroup> readGroups = new HashMap<>();
        Map<String, ConfigGroup> writeGroups = new HashMap<>();
        Map<String, ConfigGroup> sameGroups = new HashMap<>();
        for (var entry : original.getGroupsMap().entrySet()) {
            ConfigGroup after = updated.getGroupsMap().get(entry.getKey());
            if (after == null) {
                membersChanged = true;
                continue;
            }
            Sets sub = group(entry.getValue(), after);
            if (!sub.updated) {
                sameGroups.put(entry.getKey(), sub.read);
            } else {
                readGroups.put(entry.getKey(), sub.read);
                writeGroups.put(entry.getKey(), sub.write);
            }
        }
        for (var entry : updated.getGroupsMap().entrySet()) {
            if (!original.getGroupsMap().containsKey(entry.getKey())) {
                membersChanged = true;
                Sets sub = group(ConfigGroup.getDefaultInstance(), entry.getValue());
                writeGroups.put(entry.getKey(), sub.write.toBuilder().setVersion(0)
                        .setModPolicy(entry.getValue().getModPolicy()).build());
            }
        }

        if (!membersChanged && original.getModPolicy().equals(updated.getModPolicy())) {
            boolean nothing = readPolicies.isEmpty() && writePolicies.isEmpty() && readValues.isEmpty()
                    && writeValues.isEmpty() && readGroups.isEmpty() && writeGroups.isEmpty();
            if (nothing) {
                ConfigGroup same = ConfigGroup.newBuilder().setVersion(original.getVersion()).build();
                return new Sets(same, same, false);
            }
            return new Sets(
                    ConfigGroup.newBuilder().setVersion(original.getVersion()).putAllPolicies(readPolicies)
                            .putAllValues(readValues).putAllGroups(readGroups).build(),
                    ConfigGroup.newBuilder().setVersion(original.getVersion()).putAllPolicies(writePolicies)
                            .putAllValues(writeValues).putAllGroups(writeGroups).build(),
                    true);
        }
        readPolicies.putAll(samePolicies);
        writePolicies.putAll(samePolicies);
        readValues.putAll(sameValues);
        writeValues.putAll(sameValues);
        readGroups.putAll(sameGroups);
        writeGroups.putAll(sameGroups);
        return new Sets(
                ConfigGroup.newBuilder().setVersion(original.getVersion()).putAllPolicies(readPolicies)
                        .putAllValues(readValues).putAllGroups(readGroups).build(),
                ConfigGroup.newBuilder().setVersion(original.getVersion() + 1).putAllPolicies(writePolicies)
                        .putAllValues(writeValues).putAllGroups(writeGroups).setModPolicy(updated.getModPolicy()).build(),
                true);
    }
}
