package io.sandbox.chaincode;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * A Mockito {@link ChaincodeStub} over an in-memory world state with Fabric's read semantics: reads see only
 * committed state (not the transaction's own writes); {@link #commit()} applies the current transaction.
 */
final class FakeLedger {

    record Write(String key, String value) {
        boolean isDelete() {
            return value == null;
        }
    }

    record Event(String name, String payload) {
    }

    final Map<String, byte[]> committed = new TreeMap<>();
    final List<Write> writes = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final ChaincodeStub stub = mock(ChaincodeStub.class);
    final Context ctx = mock(Context.class);

    private String txId = "tx-0";
    private Instant timestamp = Instant.parse("2026-03-01T09:30:00Z");

    FakeLedger() {
        when(ctx.getStub()).thenReturn(stub);
        when(stub.createCompositeKey(anyString(), any(String[].class)))
                .thenAnswer(inv -> new CompositeKey(inv.getArgument(0), rest(inv.getRawArguments())));
        when(stub.getState(anyString())).thenAnswer(inv -> {
            byte[] value = committed.get(inv.<String>getArgument(0));
            return value == null ? new byte[0] : value.clone();
        });
        doAnswer(inv -> writes.add(new Write(inv.getArgument(0), utf8(inv.getArgument(1)))))
                .when(stub).putState(anyString(), any(byte[].class));
        doAnswer(inv -> writes.add(new Write(inv.getArgument(0), null))).when(stub).delState(anyString());
        doAnswer(inv -> events.add(new Event(inv.getArgument(0), utf8(inv.getArgument(1)))))
                .when(stub).setEvent(anyString(), any(byte[].class));
        when(stub.getTxId()).thenAnswer(inv -> txId);
        when(stub.getTxTimestamp()).thenAnswer(inv -> timestamp);
    }

    private static String[] rest(Object[] raw) {
        if (raw.length == 2 && raw[1] instanceof String[] array) {
            return array;
        }
        String[] out = new String[raw.length - 1];
        for (int i = 1; i < raw.length; i++) {
            out[i - 1] = (String) raw[i];
        }
        return out;
    }

    /** Starts a new transaction: forgets the last one's writes and event. */
    FakeLedger tx(String id, String isoTimestamp) {
        writes.clear();
        events.clear();
        txId = id;
        timestamp = Instant.parse(isoTimestamp);
        return this;
    }

    /** Applies the current transaction's writes to the committed state. */
    FakeLedger commit() {
        for (Write w : writes) {
            if (w.isDelete()) {
                committed.remove(w.key());
            } else {
                committed.put(w.key(), w.value().getBytes(StandardCharsets.UTF_8));
            }
        }
        writes.clear();
        events.clear();
        return this;
    }

    String committedValue(String key) {
        byte[] value = committed.get(key);
        return value == null ? null : utf8(value);
    }

    static String key(String type, String... attributes) {
        return new CompositeKey(type, attributes).toString();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
