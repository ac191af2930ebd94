package io.sandbox.onboarding.application;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sandbox.core.audit.AuditEncoding;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.Problem.FieldError;
import io.sandbox.core.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Takes applications: checks the fields and documents, stores the application whole (or not at all), and
 * records the submission in the audit log. A retried submission with the same idempotency key yields the
 * application the first one created.
 */
@ApplicationScoped
public class ApplicationService {

    /** An application as stored, and whether this call only replayed an earlier submission. */
    public record Submission(ApplicationReceipt receipt, boolean replayed) {
    }

    static final int MAX_IDEMPOTENCY_KEY = 255;

    private final OnboardingConfig config;
    private final AuditLog audit;

    ApplicationService(OnboardingConfig config, AuditLog audit) {
        this.config = config;
        this.audit = audit;
    }

    /**
     * Submits an application.
     *
     * @param idempotencyKey the client's {@code Idempotency-Key}, or {@code null}
     * @throws ProblemException 400 (fields), 413 (a document too large), 415 (a document of a type not
     *     accepted), 422 (the key was used for a different application)
     */
    public Submission submit(ApplicationForm form, String idempotencyKey) {
        String key = checkedKey(idempotencyKey);
        List<Document> documents = documents(form.documents());
        ApplicationChecks.Result result = ApplicationChecks.check(form);
        if (!result.errors().isEmpty()) {
            throw invalid(result.errors());
        }
        ApplicationChecks.Checked application = result.application();
        byte[] fingerprint = fingerprint(application, documents);
        if (key != null) {
            Optional<Submission> earlier = QuarkusTransaction.requiringNew().call(() -> replay(key, fingerprint));
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> store(application, documents, key, fingerprint));
        } catch (RuntimeException e) {
            // Two submissions with one key raced; the other one's application stands.
            if (key != null && uniqueViolation(e)) {
                return QuarkusTransaction.requiringNew().call(() -> replay(key, fingerprint)).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /** Where an application stands; anyone holding its id may ask. */
    @Transactional
    public Optional<ApplicationReceipt> status(UUID id) {
        return Application.<Application>findByIdOptional(id).map(ApplicationReceipt::of);
    }

    private Submission store(ApplicationChecks.Checked checked, List<Document> documents, String key, byte[] fingerprint) {
        Application application = new Application();
        application.id = UUID.randomUUID();
        application.status = ApplicationStatus.SUBMITTED;
        application.legalName = checked.legalName();
        application.jurisdiction = checked.jurisdiction();
        application.registryScheme = checked.scheme();
        application.registryIdentifier = checked.identifier();
        application.contactEmail = checked.contactEmail();
        application.pilotDescription = checked.pilotDescription();
        application.representatives = new ArrayList<>(checked.representatives());
        application.submittedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        application.idempotencyKey = key;
        application.requestFingerprint = key == null ? null : fingerprint;
        application.persist();
        List<Map<String, Object>> documentDetails = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            Document d = documents.get(i);
            SupportingDocument stored = new SupportingDocument();
            stored.id = UUID.randomUUID();
            stored.applicationId = application.id;
            stored.position = i;
            stored.fileName = d.fileName();
            stored.mediaType = d.type().mediaType();
            stored.sizeBytes = d.content().length;
            stored.sha256 = d.sha256();
            stored.content = d.content();
            stored.persist();
            documentDetails.add(Map.of("fileName", d.fileName(), "sha256", HexFormat.of().formatHex(d.sha256())));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("legalName", checked.legalName());
        details.put("jurisdiction", checked.jurisdiction());
        details.put("registryScheme", checked.scheme().name());
        details.put("registryIdentifier", checked.identifier());
        details.put("documents", documentDetails);
        audit.append("applicant:" + checked.contactEmail(), "application.submitted", "application/" + application.id, null, details);
        return new Submission(ApplicationReceipt.of(application), false);
    }

    private Optional<Submission> replay(String key, byte[] fingerprint) {
        return Application.<Application>find("idempotencyKey", key).firstResultOptional().map(earlier -> {
            if (!Arrays.equals(earlier.requestFingerprint, fingerprint)) {
                throw new ProblemException(Problem.of("idempotency-key-reused", "Idempotency Key Reused", 422,
                        "The Idempotency-Key was already used for a different application; use a new key for a new application.")
                        .withErrors(List.of(new FieldError("Idempotency-Key", "was used for a different request"))));
            }
            return new Submission(ApplicationReceipt.of(earlier), true);
        });
    }

    /** The documents, read and checked: count (400), size (413), type by content (415). */
    private List<Document> documents(List<ApplicationForm.Upload> uploads) {
        OnboardingConfig.Documents limits = config.documents();
        if (uploads.isEmpty()) {
            throw invalid(List.of(new FieldError("documents", "attach at least one supporting document (PDF, PNG or JPEG)")));
        }
        if (uploads.size() > limits.maxCount()) {
            throw invalid(List.of(new FieldError("documents", "at most " + limits.maxCount() + " documents may be attached")));
        }
        long max = limits.maxSize().asLongValue();
        for (int i = 0; i < uploads.size(); i++) {
            ApplicationForm.Upload upload = uploads.get(i);
            if (upload.size() > max) {
                throw new ProblemException(Problem.of("document-too-large", "Document Too Large", 413,
                        "Document '" + upload.fileName() + "' has " + upload.size() + " bytes; the limit is " + max + " bytes.")
                        .withErrors(List.of(new FieldError("documents[" + i + "]", "is larger than " + max + " bytes")))
                        .with("maxSize", max));
            }
            if (upload.size() == 0) {
                throw invalid(List.of(new FieldError("documents[" + i + "]", "is empty")));
            }
        }
        List<Document> documents = new ArrayList<>();
        String allowed = limits.allowedTypes().stream().map(DocumentType::mediaType).sorted().collect(Collectors.joining(", "));
        for (int i = 0; i < uploads.size(); i++) {
            ApplicationForm.Upload upload = uploads.get(i);
            byte[] content = read(upload, max);
            Optional<DocumentType> type = DocumentType.sniff(Arrays.copyOf(content, Math.min(content.length, DocumentType.SNIFF_LENGTH)))
                    .filter(limits.allowedTypes()::contains);
            if (type.isEmpty() || !type.get().agreesWith(upload.declaredType())) {
                String why = type.isEmpty() ? "is not one of " + allowed + " (judged by its content)"
                        : "is " + type.get().mediaType() + " but was declared as " + upload.declaredType();
                throw new ProblemException(Problem.of("unsupported-document-type", "Unsupported Document Type", 415,
                        "Document '" + upload.fileName() + "' " + why + ".")
                        .withErrors(List.of(new FieldError("documents[" + i + "]", why))));
            }
            String name = upload.fileName().isBlank() ? "document-" + (i + 1) : upload.fileName();
            documents.add(new Document(name.length() > 255 ? name.substring(0, 255) : name, type.get(), content, sha256(content)));
        }
        return documents;
    }

    private record Document(String fileName, DocumentType type, byte[] content, byte[] sha256) {
    }

    private static byte[] read(ApplicationForm.Upload upload, long max) {
        try (InputStream in = upload.content().get()) {
            byte[] content = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (content.length > max) {
                throw new IllegalStateException("Upload grew beyond its declared size");
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String checkedKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw ProblemException.badRequest("The Idempotency-Key header must be 1 to " + MAX_IDEMPOTENCY_KEY
                    + " visible ASCII characters, e.g. a UUID.");
        }
        return key;
    }

    private static ProblemException invalid(List<FieldError> errors) {
        String fields = errors.stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
        return new ProblemException(Problem.of("invalid-application", "Invalid Application", 400,
                "The application has invalid fields: " + fields + ".").withErrors(errors));
    }

    private static byte[] fingerprint(ApplicationChecks.Checked a, List<Document> documents) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("legalName", a.legalName());
        request.put("jurisdiction", a.jurisdiction());
        request.put("registryScheme", a.scheme().name());
        request.put("registryIdentifier", a.identifier());
        request.put("contactEmail", a.contactEmail());
        request.put("pilotDescription", a.pilotDescription());
        request.put("representatives", a.representatives().stream().map(r -> List.of(r.name, r.email)).toList());
        request.put("documents", documents.stream().map(d -> HexFormat.of().formatHex(d.sha256())).toList());
        return sha256(AuditEncoding.canonicalJson(request).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
