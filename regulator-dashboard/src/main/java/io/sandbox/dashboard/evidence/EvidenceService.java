package io.sandbox.dashboard.evidence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.evidence.BundleWriter;
import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Evidence exports: who may export what, the period, and the audit record of every complete export.
 *
 * <p>Regulators and auditors may export any startup; a startup member only its own tenant (another startup is
 * answered 404, as if it did not exist). Everything that can be refused is checked before the first byte is sent;
 * an export is recorded in the audit log ({@code evidence.exported}) only once the whole zip has been written to the
 * client. A client that goes away mid-stream gets nothing recorded, and nothing is left behind on the server (the
 * bundle is never stored).
 */
@ApplicationScoped
public class EvidenceService {

    private static final Logger LOG = Logger.getLogger(EvidenceService.class);
    /** The longest period one bundle covers. */
    static final Duration MAX_PERIOD = Duration.ofDays(366);

    private final AgroalDataSource dataSource;
    private final BlockSource blocks;
    private final EvidenceSigning signing;
    private final AuditLog audit;

    EvidenceService(AgroalDataSource dataSource, BlockSource blocks, EvidenceSigning signing, AuditLog audit) {
        this.dataSource = dataSource;
        this.blocks = blocks;
        this.signing = signing;
        this.audit = audit;
    }

    /** A checked export, ready to stream. */
    public record Prepared(ExportScope scope, ManifestSigner signer) {
    }

    /**
     * Checks the request and resolves its scope.
     *
     * @throws ProblemException 400 for a bad period (naming the field), 404 for a startup that does not exist or is
     *                          not the caller's, 503 when blocks or the signing key are unavailable
     */
    public Prepared prepare(Caller caller, String startup, String fromText, String toText) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Instant from = instant("from", fromText, false, errors);
        Instant to = instant("to", toText, true, errors);
        if (errors.isEmpty() && !from.isBefore(to)) {
            errors.add(new Problem.FieldError("to", "must be after 'from' (" + from + "); got " + to));
        }
        if (errors.isEmpty() && Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            errors.add(new Problem.FieldError("to", "the period may span at most " + MAX_PERIOD.toDays()
                    + " days; split longer periods into several bundles"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.of("invalid-request", "Invalid Request", 400,
                    "The period is invalid: " + errors.stream().map(e -> "'" + e.field() + "' " + e.message())
                            .reduce((a, b) -> a + "; " + b).orElse("") + ".").withErrors(errors));
        }
        boolean supervisor = caller.is(Roles.REGULATOR) || caller.is(Roles.AUDITOR);
        if (!supervisor && !caller.tenant().map(startup::equals).orElse(false)) {
            throw ProblemException.notFound("Startup '" + startup + "'");
        }
        ExportScope scope;
        try (Connection c = dataSource.getConnection()) {
            scope = ExportScope.resolve(c, startup, from, to, caller.username());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot resolve the export's scope: " + e.getMessage(), e);
        }
        if (scope == null) {
            throw ProblemException.notFound("Startup '" + startup + "'");
        }
        if (scope.firstBlock() != null && !blocks.available()) {
            throw new ProblemException(Problem.of("ledger-unavailable", "Service Unavailable", 503,
                    "The ledger cannot be read: no Fabric network profile is configured (sandbox.fabric.profile)."));
        }
        return new Prepared(scope, signing.signer());
    }

    /** Streams the bundle to {@code out}, then records the export in the audit log. */
    public BundleWriter.Finished export(Prepared prepared, OutputStream out) throws IOException {
        ExportScope scope = prepared.scope();
        BundleWriter.Finished finished;
        try {
            finished = new BundleExport(dataSource, blocks, prepared.signer()).write(scope, out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("evidence export of %s for %s did not complete, nothing recorded: %s", scope.startup(),
                    scope.actor(), e.getMessage());
            throw e;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("from", scope.from().toString());
        details.put("to", scope.to().toString());
        details.put("channel", scope.channel());
        details.put("firstBlock", scope.firstBlock());
        details.put("lastBlock", scope.lastBlock());
        details.put("blocks", scope.firstBlock() == null ? 0 : scope.lastBlock() - scope.firstBlock() + 1);
        details.put("transactions", finished.manifest().transactions());
        details.put("manifestSha256", finished.manifestSha256());
        QuarkusTransaction.requiringNew().run(() -> audit.append(scope.actor(), "evidence.exported",
                "startup/" + scope.startup(), null, details));
        return finished;
    }

    /** An ISO date (a whole UTC day: 'from' its start, 'to' its end) or an ISO-8601 instant / offset date-time. */
    static Instant instant(String field, String text, boolean endOfDay, List<Problem.FieldError> errors) {
        if (text == null || text.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required: an ISO date (2026-03-01) or instant"
                    + " (2026-03-01T09:30:00Z)"));
            return null;
        }
        String value = text.strip();
        try {
            if (value.length() == 10) {
                LocalDate date = LocalDate.parse(value);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "must be an ISO date (2026-03-01) or instant"
                    + " (2026-03-01T09:30:00Z); got '" + value + "'"));
            return null;
        }
    }
}
