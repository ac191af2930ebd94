package io.sandbox.devnet.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.hyperledger.fabric.contract.Context;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;

/**
 * A test-only contract next to the reference chaincode (the shim's router finds every contract on the class path)
 * exercising the shim calls the reference chaincode does not make: ranges, pagination, history, key metadata,
 * private data.
 */
@Contract(name = "probe")
public final class ProbeContract implements ContractInterface {

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String readAfterWrite(Context ctx, String key, String value) {
        ChaincodeStub stub = ctx.getStub();
        stub.putStringState(key, value);
        String read = stub.getStringState(key);
        return read == null ? "" : read;
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String scan(Context ctx, String startKey, String endKey) throws Exception {
        List<String> keys = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = ctx.getStub().getStateByRange(startKey, endKey)) {
            for (KeyValue kv : it) {
                keys.add(kv.getKey() + "=" + kv.getStringValue());
            }
        }
        return keys.size() + ":" + String.join(",", keys);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String scanFirst(Context ctx, String startKey, String endKey) throws Exception {
        try (QueryResultsIterator<KeyValue> it = ctx.getStub().getStateByRange(startKey, endKey)) {
            for (KeyValue kv : it) {
                return kv.getKey();
            }
        }
        return "";
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String partial(Context ctx, String type) throws Exception {
        ChaincodeStub stub = ctx.getStub();
        List<String> keys = new ArrayList<>();
        try (QueryResultsIterator<KeyValue> it = stub.getStateByPartialCompositeKey(stub.createCompositeKey(type))) {
            for (KeyValue kv : it) {
                keys.add(stub.splitCompositeKey(kv.getKey()).getAttributes().toString());
            }
        }
        return String.join(",", keys);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String page(Context ctx, String startKey, String endKey, int pageSize, String bookmark) throws Exception {
        List<String> keys = new ArrayList<>();
        try (QueryResultsIteratorWithMetadata<KeyValue> it =
                ctx.getStub().getStateByRangeWithPagination(startKey, endKey, pageSize, bookmark)) {
            for (KeyValue kv : it) {
                keys.add(kv.getKey());
            }
            return String.join(",", keys) + "|" + it.getMetadata().getBookmark() + "|"
                    + it.getMetadata().getFetchedRecordsCount();
        }
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String pageThenWrite(Context ctx, String key) throws Exception {
        try (QueryResultsIteratorWithMetadata<KeyValue> it =
                ctx.getStub().getStateByRangeWithPagination("", "", 1, "")) {
            it.forEach(kv -> { });
        }
        ctx.getStub().putStringState(key, "x");
        return "written";
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String history(Context ctx, String key) throws Exception {
        List<String> entries = new ArrayList<>();
        try (QueryResultsIterator<KeyModification> it = ctx.getStub().getHistoryForKey(key)) {
            for (KeyModification m : it) {
                entries.add(m.getTxId() + "/" + m.getStringValue() + "/" + m.isDeleted());
            }
        }
        return String.join(",", entries);
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String setPolicy(Context ctx, String key, String policy) {
        ctx.getStub().setStateValidationParameter(key, policy.getBytes(StandardCharsets.UTF_8));
        return "ok";
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String getPolicy(Context ctx, String key) {
        byte[] policy = ctx.getStub().getStateValidationParameter(key);
        return policy == null ? "<none>" : new String(policy, StandardCharsets.UTF_8);
    }

    @Transaction(intent = Transaction.TYPE.EVALUATE)
    public String privateHash(Context ctx, String collection, String key) {
        byte[] hash = ctx.getStub().getPrivateDataHash(collection, key);
        return hash == null ? "" : "hash";
    }

    @Transaction(intent = Transaction.TYPE.SUBMIT)
    public String delete(Context ctx, String key) {
        ctx.getStub().delState(key);
        return "deleted";
    }
}
