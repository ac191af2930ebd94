package io.sandbox.devnet.peer.lifecycle;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.sandbox.devnet.chaincode.TransactionSimulator;
import io.sandbox.devnet.peer.state.KeyValue;
import io.sandbox.devnet.peer.state.StateView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeEndorsementInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.ChaincodeValidationInfo;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryApprovedChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.StateData;
import org.hyperledger.fabric.protos.peer.lifecycle.StateMetadata;

/**
 * The {@code _lifecycle} namespace's keys, read and written through a transaction simulator (so that writes go
 * through endorsement, ordering and validation) or read from committed state.
 *
 * <p>Committed definitions use Fabric's public layout ({@code lifecycle.Serializer}):
 * {@code namespaces/metadata/<name>} = {@code StateMetadata{datatype "ChaincodeDefinition", fields [Sequence,
 * EndorsementInfo, ValidationInfo, Collections]}} and {@code namespaces/fields/<name>/<Field>} = {@code StateData}
 * (an int64 for the sequence, the marshalled message for the others).
 *
 * <p><b>Deviation from Fabric:</b> Fabric keeps each org's approval in the org's implicit private collection
 * ({@code _implicit_org_<MSPID>}), so that only hashes reach the ledger. The devnet has no private data, so an
 * approval is a public key {@code approvals/<MSPID>/<name>#<sequence>} holding a
 * {@code QueryApprovedChaincodeDefinitionResult} (the approved parameters and the package source). Every org's
 * approvals, including the package ids, are therefore visible to every channel member. The external protocol
 * (function names, argument and result messages, errors) is unchanged.
 */
final class LifecycleState {

    static final String NAMESPACE = "_lifecycle";
    static final String DEFINITION_TYPE = "ChaincodeDefinition";
    static final List<String> DEFINITION_FIELDS = List.of("Sequence", "EndorsementInfo", "ValidationInfo", "Collections");
    private static final String METADATA_PREFIX = "namespaces/metadata/";
    private static final String FIELDS_PREFIX = "namespaces/fields/";
    private static final String APPROVALS_PREFIX = "approvals/";

    /** Key-value access to the {@code _lifecycle} namespace. */
    interface Kv {
        byte[] get(String key);

        void put(String key, byte[] value);

        /** The keys starting with {@code prefix}, in key order. */
        List<String> keys(String prefix);
    }

    private final Kv kv;

    private LifecycleState(Kv kv) {
        this.kv = kv;
    }

    /** Over a simulation: reads are recorded, writes become the transaction's write set. */
    static LifecycleState of(TransactionSimulator simulator) {
        Objects.requireNonNull(simulator, "simulator");
        return new LifecycleState(new Kv() {
            @Override
            public byte[] get(String key) {
                return simulator.getState(NAMESPACE, key);
            }

            @Override
            public void put(String key, byte[] value) {
                simulator.setState(NAMESPACE, key, value);
            }

            @Override
            public List<String> keys(String prefix) {
                TransactionSimulator.RangeScan scan = simulator.rangeScan(NAMESPACE, prefix, prefix + '\uffff', 0);
                List<String> keys = new ArrayList<>();
                try {
                    for (var entry = scan.next(); entry != null; entry = scan.next()) {
                        keys.add(entry.key());
                    }
                } finally {
                    scan.close();
                }
                return keys;
            }
        });
    }

    /** Over committed state, read-only. */
    static LifecycleState of(StateView view) {
        Objects.requireNonNull(view, "view");
        return new LifecycleState(new Kv() {
            @Override
            public byte[] get(String key) {
                return view.get(NAMESPACE, key).map(v -> v.value().toByteArray()).orElse(null);
            }

            @Override
            public void put(String key, byte[] value) {
                throw new UnsupportedOperationException("committed state is read-only");
            }

            @Override
            public List<String> keys(String prefix) {
                return view.range(NAMESPACE, prefix, prefix + '\uffff').stream().map(KeyValue::key).toList();
            }
        });
    }

    static String metadataKey(String name) {
        return METADATA_PREFIX + name;
    }

    static String fieldKey(String name, String field) {
        return FIELDS_PREFIX + name + "/" + field;
    }

    static String approvalKey(String mspId, String name, long sequence) {
        return APPROVALS_PREFIX + mspId + "/" + name + "#" + sequence;
    }

    /** The committed sequence, 0 when none ({@code DeserializeFieldAsInt64} of {@code Sequence}). */
    long sequence(String name) {
        byte[] raw = kv.get(fieldKey(name, "Sequence"));
        if (raw == null) {
            return 0;
        }
        try {
            return StateData.parseFrom(raw).getInt64();
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not get current sequence: could not unmarshal state for key "
                    + fieldKey(name, "Sequence") + ": " + e.getMessage(), e);
        }
    }

    /** The committed definition, if the name is defined. */
    Optional<ChaincodeDefinition> definition(String name) {
        byte[] rawMetadata = kv.get(metadataKey(name));
        if (rawMetadata == null) {
            return Optional.empty();
        }
        try {
            StateMetadata metadata = StateMetadata.parseFrom(rawMetadata);
            if (!DEFINITION_TYPE.equals(metadata.getDatatype())) {
                throw new LifecycleException("could not deserialize namespace " + name + " as chaincode: type name"
                        + " mismatch '" + DEFINITION_TYPE + "' != '" + metadata.getDatatype() + "'");
            }
            long sequence = StateData.parseFrom(orEmpty(kv.get(fieldKey(name, "Sequence")))).getInt64();
            ChaincodeEndorsementInfo endorsement = ChaincodeEndorsementInfo.parseFrom(bytesField(name, "EndorsementInfo"));
            ChaincodeValidationInfo validation = ChaincodeValidationInfo.parseFrom(bytesField(name, "ValidationInfo"));
            CollectionConfigPackage collections = CollectionConfigPackage.parseFrom(bytesField(name, "Collections"));
            return Optional.of(new ChaincodeDefinition(name, sequence, endorsement.getVersion(),
                    endorsement.getEndorsementPlugin(), validation.getValidationPlugin(),
                    validation.getValidationParameter(), endorsement.getInitRequired(), collections));
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not deserialize namespace " + name + " as chaincode: "
                    + e.getMessage(), e);
        }
    }

    /** The names with a committed definition, in key order ({@code QueryNamespaceDefinitions}). */
    List<String> definedNames() {
        return kv.keys(METADATA_PREFIX).stream().map(k -> k.substring(METADATA_PREFIX.length())).toList();
    }

    /**
     * Writes a definition as Fabric's serializer does: only fields whose stored bytes change, and the metadata
     * only when it changes.
     */
    void putDefinition(ChaincodeDefinition cd) {
        String name = cd.name();
        byte[] newMetadata = StateMetadata.newBuilder().setDatatype(DEFINITION_TYPE)
                .addAllFields(DEFINITION_FIELDS).build().toByteArray();
        byte[] oldMetadata = kv.get(metadataKey(name));
        List<byte[]> values = List.of(
                StateData.newBuilder().setInt64(cd.sequence()).build().toByteArray(),
                bytesData(endorsementInfo(cd).toByteString()),
                bytesData(validationInfo(cd).toByteString()),
                bytesData(cd.collections().toByteString()));
        for (int i = 0; i < DEFINITION_FIELDS.size(); i++) {
            String key = fieldKey(name, DEFINITION_FIELDS.get(i));
            byte[] old = oldMetadata == null ? null : kv.get(key);
            if (old == null || !java.util.Arrays.equals(old, values.get(i))) {
                kv.put(key, values.get(i));
            }
        }
        if (oldMetadata == null || !java.util.Arrays.equals(oldMetadata, newMetadata)) {
            kv.put(metadataKey(name), newMetadata);
        }
    }

    Optional<QueryApprovedChaincodeDefinitionResult> approval(String mspId, String name, long sequence) {
        byte[] raw = kv.get(approvalKey(mspId, name, sequence));
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueryApprovedChaincodeDefinitionResult.parseFrom(raw));
        } catch (InvalidProtocolBufferException e) {
            throw new LifecycleException("could not deserialize the approval of " + mspId + " for " + name + "#"
                    + sequence + ": " + e.getMessage(), e);
        }
    }

    void putApproval(String mspId, String name, QueryApprovedChaincodeDefinitionResult approval) {
        kv.put(approvalKey(mspId, name, approval.getSequence()), approval.toByteArray());
    }

    static ChaincodeEndorsementInfo endorsementInfo(ChaincodeDefinition cd) {
        return ChaincodeEndorsementInfo.newBuilder().setVersion(cd.version())
                .setEndorsementPlugin(cd.endorsementPlugin()).setInitRequired(cd.initRequired()).build();
    }

    static ChaincodeValidationInfo validationInfo(ChaincodeDefinition cd) {
        return ChaincodeValidationInfo.newBuilder().setValidationPlugin(cd.validationPlugin())
                .setValidationParameter(cd.validationParameter()).build();
    }

    private byte[] bytesField(String name, String field) throws InvalidProtocolBufferException {
        return StateData.parseFrom(orEmpty(kv.get(fieldKey(name, field)))).getBytes().toByteArray();
    }

    private static byte[] bytesData(ByteString bytes) {
        return StateData.newBuilder().setBytes(bytes).build().toByteArray();
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }
}
