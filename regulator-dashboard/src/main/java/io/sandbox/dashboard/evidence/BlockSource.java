package io.sandbox.dashboard.evidence;

import java.io.IOException;
import org.hyperledger.fabric.protos.common.Block;

/** Where an export reads the raw blocks of its range: the regulator's peer, or recorded blocks in the benchmark. */
public interface BlockSource {

    /** Receives blocks one at a time. */
    @FunctionalInterface
    interface Sink {
        void accept(Block block) throws IOException;
    }

    /** Whether blocks can be read at all (a network is configured). */
    boolean available();

    /**
     * Hands the blocks {@code first} to {@code last} (inclusive) of {@code channel} to {@code sink} in order, one at a
     * time, holding no more than a few in memory.
     *
     * @throws IOException if the sink fails or the blocks cannot be read completely
     */
    void blocks(String channel, long first, long last, Sink sink) throws IOException;
}
