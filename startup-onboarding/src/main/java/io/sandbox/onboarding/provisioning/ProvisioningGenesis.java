package io.sandbox.onboarding.provisioning;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The genesis block of a provisioning's channel, committed before anything joins. */
@Entity
@Table(name = "provisioning_genesis")
class ProvisioningGenesis extends PanacheEntityBase {

    @Id
    @Column(name = "provisioning_id")
    UUID provisioningId;
    byte[] block;
    @Column(name = "created_at")
    Instant createdAt;
}
