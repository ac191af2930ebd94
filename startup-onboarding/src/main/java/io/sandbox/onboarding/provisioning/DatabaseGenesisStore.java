package io.sandbox.onboarding.provisioning;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Genesis blocks in {@code provisioning_genesis}, each committed in its own transaction. */
@ApplicationScoped
class DatabaseGenesisStore implements GenesisStore {

    @Override
    public Optional<byte[]> find(UUID provisioningId) {
        return Optional.ofNullable(ProvisioningGenesis.<ProvisioningGenesis>findById(provisioningId)).map(g -> g.block);
    }

    @Override
    public void keep(UUID provisioningId, byte[] block) {
        QuarkusTransaction.requiringNew().run(() -> {
            ProvisioningGenesis row = new ProvisioningGenesis();
            row.provisioningId = provisioningId;
            row.block = block;
            row.createdAt = Instant.now();
            row.persist();
        });
    }
}
