package io.sandbox.onboarding.review;

import io.sandbox.onboarding.application.Application;
import io.sandbox.onboarding.application.ApplicationStatus;
import io.sandbox.onboarding.application.RegistryScheme;
import io.sandbox.onboarding.application.SupportingDocument;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the review API and pages show of applications. */
public final class ReviewViews {

    private ReviewViews() {
    }

    /** One line of the review queue. */
    public record ApplicationSummary(UUID id, String legalName, String jurisdiction, RegistryScheme registryScheme,
            String registryIdentifier, Instant submittedAt, String detailUrl) {

        static ApplicationSummary of(Application a) {
            return new ApplicationSummary(a.id, a.legalName, a.jurisdiction, a.registryScheme, a.registryIdentifier,
                    a.submittedAt, ReviewResource.PATH + "/" + a.id);
        }
    }

    /** A representative as shown to the regulator. */
    public record RepresentativeView(String name, String email) {
    }

    /** A supporting document's metadata; {@code href} downloads it. */
    public record DocumentView(UUID id, String fileName, String mediaType, long size, String sha256, String href) {

        static DocumentView of(SupportingDocument d) {
            return new DocumentView(d.id, d.fileName, d.mediaType, d.sizeBytes, d.sha256Hex(),
                    ReviewResource.PATH + "/" + d.applicationId + "/documents/" + d.id);
        }
    }

    /** The regulator's decision on an application. */
    public record Decision(ApplicationStatus outcome, String reason, String decidedBy, Instant decidedAt) {
    }

    /** An application in full, with its decision and permit once decided. */
    public record ApplicationDetail(UUID id, ApplicationStatus status, String legalName, String jurisdiction,
            RegistryScheme registryScheme, String registryIdentifier, String contactEmail, String pilotDescription,
            List<RepresentativeView> representatives, List<DocumentView> documents, Instant submittedAt, Decision decision,
            PermitTerms permit) {

        static ApplicationDetail of(Application a, List<SupportingDocument> documents, Permit permit) {
            return new ApplicationDetail(a.id, a.status, a.legalName, a.jurisdiction, a.registryScheme, a.registryIdentifier,
                    a.contactEmail, a.pilotDescription,
                    a.representatives.stream().map(r -> new RepresentativeView(r.name, r.email)).toList(),
                    documents.stream().map(DocumentView::of).toList(), a.submittedAt,
                    a.status.decided() ? new Decision(a.status, a.decisionReason, a.decidedBy, a.decidedAt) : null,
                    permit == null ? null : permit.terms());
        }
    }

    /** A document's bytes for download. */
    public record DocumentContent(String fileName, String mediaType, String sha256, byte[] content) {
    }

    /** An approval: the reason and the permit. */
    public record Approval(String reason, PermitTerms permit) {
    }

    /** A rejection: the reason. */
    public record Rejection(String reason) {
    }
}
