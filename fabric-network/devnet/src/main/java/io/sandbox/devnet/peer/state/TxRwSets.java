package io.sandbox.devnet.peer.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;

/** Parsing of endorser transactions' read-write sets, as {@code protoutil} and {@code rwsetutil} do. */
public final class TxRwSets {

    private TxRwSets() {}

    /**
     * The chaincode action of an endorser transaction's payload ({@code protoutil.GetActionFromEnvelope}: the
     * first action's {@code ChaincodeActionPayload}, its {@code ProposalResponsePayload}, its extension).
     */
    public static ChaincodeAction chaincodeAction(Payload payload) throws InvalidProtocolBufferException {
        Transaction tx = Transaction.parseFrom(payload.getData());
        if (tx.getActionsCount() == 0) {
            throw new InvalidProtocolBufferException("transaction has no actions");
        }
        ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(tx.getActions(0).getPayload());
        ProposalResponsePayload prp = ProposalResponsePayload.parseFrom(cap.getAction().getProposalResponsePayload());
        return ChaincodeAction.parseFrom(prp.getExtension());
    }

    /** {@code TxRwSet.FromProtoBytes}: the {@code TxReadWriteSet} and each namespace's {@code KVRWSet}. */
    public static List<NsRwSet> parse(ByteString results) throws InvalidProtocolBufferException {
        TxReadWriteSet txRwSet = TxReadWriteSet.parseFrom(results);
        List<NsRwSet> out = new ArrayList<>(txRwSet.getNsRwsetCount());
        for (NsReadWriteSet ns : txRwSet.getNsRwsetList()) {
            out.add(new NsRwSet(ns.getNamespace(), KVRWSet.parseFrom(ns.getRwset())));
        }
        return out;
    }

    /** {@code rwsetutil.IsKVWriteDelete}: a delete flag or an empty value. */
    public static boolean isDelete(KVWrite write) {
        return write.getIsDelete() || write.getValue().isEmpty();
    }
}
