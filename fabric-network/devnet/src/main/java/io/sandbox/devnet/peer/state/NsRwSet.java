package io.sandbox.devnet.peer.state;

import java.util.Objects;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * The public read-write set of one namespace of a transaction ({@code rwsetutil.NsRwSet}, without the
 * collection hashes that this devnet does not support yet).
 *
 * @param namespace the chaincode namespace
 * @param kvRwSet   its reads, range query infos, writes and metadata writes
 */
public record NsRwSet(String namespace, KVRWSet kvRwSet) {

    /** Checks for nulls. */
    public NsRwSet {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kvRwSet, "kvRwSet");
    }

    /** Whether the namespace writes anything (values, deletes or metadata), as {@code txWritesToNamespace}. */
    public boolean writes() {
        return kvRwSet.getWritesCount() > 0 || kvRwSet.getMetadataWritesCount() > 0;
    }
}
