package io.sandbox.onboarding.provisioning;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One attempt of one step. */
@Entity
@Table(name = "provisioning_step_log")
class ProvisioningStepLog extends PanacheEntityBase {

    /** How an attempt ended. */
    enum Outcome {
        DONE, FAILED, INTERRUPTED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;
    @Column(name = "provisioning_id")
    UUID provisioningId;
    @Enumerated(EnumType.STRING)
    ProvisioningStep step;
    @Column(name = "started_at")
    Instant startedAt;
    @Column(name = "finished_at")
    Instant finishedAt;
    @Enumerated(EnumType.STRING)
    Outcome outcome;
    String error;
}
