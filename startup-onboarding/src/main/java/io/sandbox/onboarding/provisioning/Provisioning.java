package io.sandbox.onboarding.provisioning;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** One admitted startup's provisioning: its names, its progress and what the steps produced so far. */
@Entity
@Table(name = "provisioning")
class Provisioning extends PanacheEntityBase {

    @Id
    UUID id;
    @Column(name = "application_id")
    UUID applicationId;
    @Column(name = "permit_id")
    UUID permitId;
    String slug;
    @Column(name = "legal_name")
    String legalName;
    @Column(name = "msp_id")
    String mspId;
    @Column(name = "channel_id")
    String channelId;
    @Enumerated(EnumType.STRING)
    ProvisioningStatus status;
    @Enumerated(EnumType.STRING)
    @Column(name = "current_step")
    ProvisioningStep currentStep;
    @Column(name = "last_error")
    String lastError;
    /** {@code SealedOrganisation} JSON: certificates, and keys sealed by the vault. */
    @Column(name = "organisation_document")
    String organisationDocument;
    @Column(name = "peer_host")
    String peerHost;
    @Column(name = "peer_port")
    Integer peerPort;
    /** The peer's TLS root certificates, PEM. */
    @Column(name = "peer_tls_roots")
    String peerTlsRoots;
    @Column(name = "requested_at")
    Instant requestedAt;
    @Column(name = "updated_at")
    Instant updatedAt;
    @Column(name = "ready_at")
    Instant readyAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "provisioning_representative", joinColumns = @JoinColumn(name = "provisioning_id"))
    @OrderColumn(name = "position")
    List<RepresentativeRow> representatives = new ArrayList<>();

    /** A representative as stored. */
    @Embeddable
    static class RepresentativeRow {
        String name;
        String email;

        RepresentativeRow() {
        }

        RepresentativeRow(String name, String email) {
            this.name = name;
            this.email = email;
        }
    }

    /** A new provisioning of the admission, at its first step. */
    static Provisioning of(StartupAdmission admission, ProvisioningStatus status, Instant now) {
        Provisioning p = new Provisioning();
        p.id = UUID.randomUUID();
        p.applicationId = admission.applicationId();
        p.permitId = admission.permitId();
        p.slug = admission.slug();
        p.legalName = admission.legalName();
        p.mspId = mspId(admission.slug());
        p.channelId = channelId(admission.slug());
        p.status = status;
        p.currentStep = ProvisioningStep.ORGANISATION;
        p.requestedAt = now;
        p.updatedAt = now;
        admission.representatives().forEach(r -> p.representatives.add(new RepresentativeRow(r.name(),
                r.email().strip().toLowerCase(Locale.ROOT))));
        return p;
    }

    /** {@code acme-pay} → {@code AcmepayMSP}, as the launcher names demo startups. */
    static String mspId(String slug) {
        return Character.toUpperCase(slug.charAt(0)) + slug.substring(1).replace("-", "") + "MSP";
    }

    static String channelId(String slug) {
        return "sandbox-" + slug;
    }

    /** The startup organisation's domain. */
    String domain() {
        return slug + ".sandbox.local";
    }

    /** The Keycloak group of the tenant. */
    String groupName() {
        return "startup-" + slug;
    }

    /** The Keycloak client the startup's software calls the APIs with. */
    String apiClientId() {
        return "startup-" + slug + "-api";
    }
}
