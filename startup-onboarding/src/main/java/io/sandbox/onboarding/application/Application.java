package io.sandbox.onboarding.application;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A startup's application to the sandbox. */
@Entity
@Table(name = "application")
public class Application extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ApplicationStatus status;

    @Column(name = "legal_name", nullable = false)
    public String legalName;

    @Column(nullable = false)
    public String jurisdiction;

    @Enumerated(EnumType.STRING)
    @Column(name = "registry_scheme", nullable = false)
    public RegistryScheme registryScheme;

    @Column(name = "registry_identifier", nullable = false)
    public String registryIdentifier;

    @Column(name = "contact_email", nullable = false)
    public String contactEmail;

    @Column(name = "pilot_description", nullable = false)
    public String pilotDescription;

    @Column(name = "submitted_at", nullable = false)
    public Instant submittedAt;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "request_fingerprint")
    public byte[] requestFingerprint;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decision_reason")
    public String decisionReason;

    @ElementCollection
    @CollectionTable(name = "application_representative", joinColumns = @JoinColumn(name = "application_id"))
    @OrderColumn(name = "position")
    public List<Representative> representatives = new ArrayList<>();

    /** The pending applications, oldest first. */
    public static List<Application> queue() {
        return list("status = ?1 order by submittedAt, id", ApplicationStatus.SUBMITTED);
    }
}
