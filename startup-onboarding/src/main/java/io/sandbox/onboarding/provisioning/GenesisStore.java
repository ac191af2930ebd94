package io.sandbox.onboarding.provisioning;

import java.util.Optional;
import java.util.UUID;

/** Where a channel's genesis block is kept before anything joins with it. */
interface GenesisStore {

    /** The block kept for the provisioning, if any. */
    Optional<byte[]> find(UUID provisioningId);

    /** Keeps the block durably (committed) before returning. */
    void keep(UUID provisioningId, byte[] block);
}
