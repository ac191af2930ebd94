package io.sandbox.onboarding.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The durable hook for provisioning: written in the approval's transaction, one per approved application,
 * {@code PENDING} until the provisioning pipeline (not part of review) takes it up.
 */
@Entity
@Table(name = "provisioning_request")
public class ProvisioningRequest extends PanacheEntityBase {

    public static final String PENDING = "PENDING";

    @Id
    @Column(name = "application_id")
    public UUID applicationId;

    @Column(nullable = false)
    public String status;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;
}
