package io.sandbox.onboarding.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import io.sandbox.onboarding.application.ApplicationForm;
import io.sandbox.onboarding.application.ApplicationReceipt;
import io.sandbox.onboarding.application.ApplicationService;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * The public application form: works without an account and without JavaScript (htmx only adds rows of
 * representatives). Errors are the API's problem details, shown next to the fields they name.
 */
@Path("/apply")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class ApplyPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance apply(ApplyView view);

        static native TemplateInstance representative(RepresentativeRow row, int next);

        static native TemplateInstance submitted(ApplicationReceipt receipt, String legalName);
    }

    private final ApplicationService applications;

    ApplyPages(ApplicationService applications) {
        this.applications = applications;
    }

    @GET
    public TemplateInstance form() {
        return Templates.apply(ApplyView.blank());
    }

    /** One more row of representative fields (htmx). */
    @GET
    @Path("representative")
    public TemplateInstance representative(@QueryParam("index") int index) {
        int i = Math.max(0, Math.min(index, 19));
        return Templates.representative(new RepresentativeRow(i, "", "", null, null), i + 1);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response submit(MultipartFormDataInput input) {
        ApplicationForm form = ApplicationForm.read(input);
        String key = text(input, "idempotencyKey");
        try {
            ApplicationReceipt receipt = applications.submit(form, key == null || key.isBlank() ? null : key).receipt();
            return Response.ok(Templates.submitted(receipt, form.legalName().strip())).build();
        } catch (ProblemException e) {
            Problem problem = e.problem();
            return Response.status(problem.status()).entity(Templates.apply(ApplyView.of(form, problem, key))).build();
        }
    }

    private static String text(MultipartFormDataInput input, String name) {
        return input.getValues().getOrDefault(name, List.of()).stream().filter(p -> !p.isFileItem())
                .map(FormValue::getValue).findFirst().orElse(null);
    }

    /** A row of representative fields. */
    public record RepresentativeRow(int index, String name, String email, String nameError, String emailError) {
    }

    /** The form as shown: values typed so far, errors by field, and the idempotency key of this attempt. */
    public record ApplyView(Map<String, String> values, List<RepresentativeRow> representatives, Map<String, String> errors,
            String summary, String idempotencyKey) {

        static ApplyView blank() {
            return new ApplyView(Map.of(), List.of(new RepresentativeRow(0, "", "", null, null)), Map.of(), null,
                    UUID.randomUUID().toString());
        }

        static ApplyView of(ApplicationForm form, Problem problem, String key) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (problem.errors() != null) {
                for (Problem.FieldError error : problem.errors()) {
                    String field = error.field().startsWith("documents") ? "documents" : error.field();
                    errors.merge(field, error.message(), (a, b) -> a + "; " + b);
                }
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("legalName", form.legalName());
            values.put("jurisdiction", form.jurisdiction());
            values.put("registryScheme", form.registryScheme());
            values.put("registryIdentifier", form.registryIdentifier());
            values.put("contactEmail", form.contactEmail());
            values.put("pilotDescription", form.pilotDescription());
            List<RepresentativeRow> rows = new ArrayList<>();
            for (int i = 0; i < form.representatives().size(); i++) {
                ApplicationForm.RepresentativeInput r = form.representatives().get(i);
                rows.add(new RepresentativeRow(i, r.name(), r.email(), errors.get("representatives[" + i + "].name"),
                        errors.get("representatives[" + i + "].email")));
            }
            if (rows.isEmpty()) {
                rows.add(new RepresentativeRow(0, "", "", null, null));
            }
            // A problem that is about the request itself (e.g. an idempotency key reused) starts a fresh attempt.
            String attempt = problem.status() == 422 || key == null ? UUID.randomUUID().toString() : key;
            return new ApplyView(values, rows, errors, problem.detail(), attempt);
        }

        public String value(String field) {
            String value = values.get(field);
            return value == null ? "" : value;
        }

        public String error(String field) {
            return errors.get(field);
        }

        public int nextRepresentative() {
            return representatives.size();
        }
    }
}
