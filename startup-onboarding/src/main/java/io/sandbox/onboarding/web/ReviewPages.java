package io.sandbox.onboarding.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import io.sandbox.onboarding.review.PermitTerms;
import io.sandbox.onboarding.review.ReviewService;
import io.sandbox.onboarding.review.ReviewViews.ApplicationDetail;
import io.sandbox.onboarding.review.ReviewViews.ApplicationSummary;
import io.sandbox.onboarding.review.ReviewViews.Approval;
import io.sandbox.onboarding.review.ReviewViews.DocumentContent;
import io.sandbox.onboarding.review.ReviewViews.Rejection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;

/** The regulator's review pages: the queue, an application, and the approve (with permit) and reject forms. */
@Path("/portal/review")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.REGULATOR)
public class ReviewPages {

    private static final String LOGOUT = "/portal/logout";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance queue(Caller caller, String logoutPath, List<ApplicationSummary> applications);

        static native TemplateInstance detail(Caller caller, String logoutPath, ApplicationDetail application, DecisionForm form);
    }

    private final ReviewService review;
    private final SecurityIdentity identity;

    ReviewPages(ReviewService review, SecurityIdentity identity) {
        this.review = review;
        this.identity = identity;
    }

    @GET
    public TemplateInstance queue() {
        return Templates.queue(Caller.of(identity), LOGOUT, review.queue());
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@PathParam("id") UUID id) {
        return Templates.detail(Caller.of(identity), LOGOUT, review.detail(id), DecisionForm.blank());
    }

    @GET
    @Path("{id}/documents/{documentId}")
    @Produces(MediaType.WILDCARD)
    public Response document(@PathParam("id") UUID id, @PathParam("documentId") UUID documentId) {
        DocumentContent document = review.document(id, documentId);
        return Response.ok(document.content(), document.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + document.fileName().replaceAll("[\"\\\\\\r\\n]", "_") + "\"")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(@PathParam("id") UUID id, @RestForm String reason, @RestForm String maxCustomers,
            @RestForm String maxSingleTransaction, @RestForm String maxDailyVolume, @RestForm String currency,
            @RestForm String allowedAssetTypes, @RestForm String testWindowStart, @RestForm String testWindowEnd) {
        Map<String, String> typed = new LinkedHashMap<>();
        typed.put("reason", reason);
        typed.put("maxCustomers", maxCustomers);
        typed.put("maxSingleTransaction", maxSingleTransaction);
        typed.put("maxDailyVolume", maxDailyVolume);
        typed.put("currency", currency);
        typed.put("allowedAssetTypes", allowedAssetTypes);
        typed.put("testWindowStart", testWindowStart);
        typed.put("testWindowEnd", testWindowEnd);
        List<Problem.FieldError> unreadable = new ArrayList<>();
        PermitTerms permit = new PermitTerms(integer(maxCustomers, "maxCustomers", unreadable),
                decimal(maxSingleTransaction, "maxSingleTransaction", unreadable), decimal(maxDailyVolume, "maxDailyVolume", unreadable),
                currency, allowedAssetTypes == null ? List.of() : Arrays.asList(allowedAssetTypes.split("[,\\s]+")),
                date(testWindowStart, "testWindowStart", unreadable), date(testWindowEnd, "testWindowEnd", unreadable));
        return decide(id, typed, "approve", () -> {
            if (!unreadable.isEmpty()) {
                throw new ProblemException(Problem.of("invalid-decision", "Invalid Decision", 400,
                        "The permit has values that are not numbers or dates.").withErrors(unreadable));
            }
            review.approve(id, new Approval(reason, permit), Caller.of(identity).username());
        });
    }

    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reject(@PathParam("id") UUID id, @RestForm String reason) {
        return decide(id, Map.of("rejectReason", reason == null ? "" : reason), "reject",
                () -> review.reject(id, new Rejection(reason), Caller.of(identity).username()));
    }

    private Response decide(UUID id, Map<String, String> typed, String which, Runnable decision) {
        try {
            decision.run();
            return Response.seeOther(URI.create("/portal/review/" + id)).build();
        } catch (ProblemException e) {
            if (e.problem().status() == 404) {
                throw e;
            }
            DecisionForm form = DecisionForm.of(typed, which, e.problem());
            return Response.status(e.problem().status())
                    .entity(Templates.detail(Caller.of(identity), LOGOUT, review.detail(id), form)).build();
        }
    }

    private static Integer integer(String value, String field, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError("permit." + field, "is not a whole number"));
            return null;
        }
    }

    private static BigDecimal decimal(String value, String field, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError("permit." + field, "is not a number"));
            return null;
        }
    }

    private static LocalDate date(String value, String field, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError("permit." + field, "is not a date (YYYY-MM-DD)"));
            return null;
        }
    }

    /** The decision forms as shown: what was typed, and the problem with it, if any. */
    public record DecisionForm(Map<String, String> values, Map<String, String> errors, String summary, String which) {

        static DecisionForm blank() {
            return new DecisionForm(Map.of(), Map.of(), null, null);
        }

        static DecisionForm of(Map<String, String> typed, String which, Problem problem) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (problem.errors() != null) {
                for (Problem.FieldError error : problem.errors()) {
                    String field = error.field().replaceFirst("^permit\\.", "").replaceFirst("\\[\\d+]$", "");
                    if (field.equals("reason") && which.equals("reject")) {
                        field = "rejectReason";
                    }
                    errors.merge(field, error.message(), (a, b) -> a + "; " + b);
                }
            }
            return new DecisionForm(typed, errors, problem.detail(), which);
        }

        public String value(String field) {
            String value = values.get(field);
            return value == null ? "" : value;
        }

        public String error(String field) {
            return errors.get(field);
        }
    }
}
