package io.sandbox.onboarding.review;

import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.Problem.FieldError;
import io.sandbox.core.web.ProblemException;
import io.sandbox.onboarding.application.Application;
import io.sandbox.onboarding.application.ApplicationStatus;
import io.sandbox.onboarding.application.SupportingDocument;
import io.sandbox.onboarding.review.ReviewViews.ApplicationDetail;
import io.sandbox.onboarding.review.ReviewViews.ApplicationSummary;
import io.sandbox.onboarding.review.ReviewViews.Approval;
import io.sandbox.onboarding.review.ReviewViews.DocumentContent;
import io.sandbox.onboarding.review.ReviewViews.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The regulator's review: the queue, an application in full, and the decision. A decision is taken once
 * (SUBMITTED → APPROVED or REJECTED); it, the permit and the provisioning request are stored together with
 * the audit event in one transaction.
 */
@ApplicationScoped
public class ReviewService {

    static final int MAX_REASON = 4000;

    private final AuditLog audit;
    private final Event<ApplicationApproved> approved;

    ReviewService(AuditLog audit, Event<ApplicationApproved> approved) {
        this.audit = audit;
        this.approved = approved;
    }

    /** Pending applications, oldest first. */
    @Transactional
    public List<ApplicationSummary> queue() {
        return Application.queue().stream().map(ApplicationSummary::of).toList();
    }

    @Transactional
    public ApplicationDetail detail(UUID id) {
        Application application = find(id, LockModeType.NONE);
        return ApplicationDetail.of(application, SupportingDocument.of(id), Permit.findById(id));
    }

    @Transactional
    public DocumentContent document(UUID applicationId, UUID documentId) {
        SupportingDocument document = SupportingDocument.<SupportingDocument>findByIdOptional(documentId)
                .filter(d -> d.applicationId.equals(applicationId))
                .orElseThrow(() -> ProblemException.notFound("Document " + documentId + " of application " + applicationId));
        return new DocumentContent(document.fileName, document.mediaType, document.sha256Hex(), document.content);
    }

    /** Approves a pending application and sets its permit; 400 for a missing reason or invalid permit, 409 once decided. */
    @Transactional
    public ApplicationDetail approve(UUID id, Approval approval, String regulator) {
        List<FieldError> errors = new ArrayList<>(reasonProblems(approval == null ? null : approval.reason()));
        PermitTerms terms = approval == null || approval.permit() == null ? null : approval.permit().normalised();
        if (terms == null) {
            errors.add(new FieldError("permit", "is required to approve"));
        } else {
            errors.addAll(terms.problems("permit."));
        }
        reject400(errors);
        Application application = pending(id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        decide(application, ApplicationStatus.APPROVED, approval.reason().strip(), regulator, now);

        Permit permit = new Permit();
        permit.applicationId = id;
        permit.maxCustomers = terms.maxCustomers();
        permit.maxSingleTransaction = terms.maxSingleTransaction();
        permit.maxDailyVolume = terms.maxDailyVolume();
        permit.currency = terms.currency();
        permit.allowedAssetTypes = terms.allowedAssetTypes().toArray(String[]::new);
        permit.testWindowStart = terms.testWindowStart();
        permit.testWindowEnd = terms.testWindowEnd();
        permit.issuedAt = now;
        permit.issuedBy = regulator;
        permit.persist();

        ProvisioningRequest provisioning = new ProvisioningRequest();
        provisioning.applicationId = id;
        provisioning.status = ProvisioningRequest.PENDING;
        provisioning.requestedAt = now;
        provisioning.persist();

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("legalName", application.legalName);
        details.put("registryIdentifier", application.registryIdentifier);
        details.put("permit", terms.asDetails());
        audit.append(regulator, "application.approved", "application/" + id, application.decisionReason, details);
        approved.fire(new ApplicationApproved(id, application.legalName, terms, now));
        return ApplicationDetail.of(application, SupportingDocument.of(id), permit);
    }

    /** Rejects a pending application; 400 without a reason, 409 once decided. */
    @Transactional
    public ApplicationDetail reject(UUID id, Rejection rejection, String regulator) {
        reject400(reasonProblems(rejection == null ? null : rejection.reason()));
        Application application = pending(id);
        decide(application, ApplicationStatus.REJECTED, rejection.reason().strip(), regulator,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        audit.append(regulator, "application.rejected", "application/" + id, application.decisionReason,
                Map.of("legalName", application.legalName, "registryIdentifier", application.registryIdentifier));
        return ApplicationDetail.of(application, SupportingDocument.of(id), null);
    }

    private static void decide(Application application, ApplicationStatus outcome, String reason, String regulator, Instant at) {
        application.status = outcome;
        application.decisionReason = reason;
        application.decidedBy = regulator;
        application.decidedAt = at;
    }

    /** The application, locked against a concurrent decision, if it is still pending. */
    private static Application pending(UUID id) {
        Application application = find(id, LockModeType.PESSIMISTIC_WRITE);
        if (application.status.decided()) {
            throw new ProblemException(Problem.of("already-decided", "Application Already Decided", 409,
                    "Application " + id + " was already " + application.status.name().toLowerCase(java.util.Locale.ROOT)
                            + " by " + application.decidedBy + " at " + application.decidedAt + "; a decision is final.")
                    .with("currentStatus", application.status.name()));
        }
        return application;
    }

    private static Application find(UUID id, LockModeType lock) {
        Application application = Application.findById(id, lock);
        if (application == null) {
            throw ProblemException.notFound("Application " + id);
        }
        return application;
    }

    private static List<FieldError> reasonProblems(String reason) {
        if (reason == null || reason.isBlank()) {
            return List.of(new FieldError("reason", "is required: every decision states its reason"));
        }
        if (reason.strip().length() > MAX_REASON) {
            return List.of(new FieldError("reason", "is longer than " + MAX_REASON + " characters"));
        }
        return List.of();
    }

    private static void reject400(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            String fields = errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
            throw new ProblemException(Problem.of("invalid-decision", "Invalid Decision", 400,
                    "The decision has invalid fields: " + fields + ".").withErrors(errors));
        }
    }
}
