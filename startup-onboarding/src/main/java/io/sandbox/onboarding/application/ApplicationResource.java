package io.sandbox.onboarding.application;

import io.sandbox.core.web.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * Applications to the sandbox. Anyone may apply (there is no account before admission); the answer names
 * the application's id and its status URL, which is all an applicant needs to follow it.
 */
@Path("/api/v1/applications")
@Tag(name = "Applications")
@PermitAll
public class ApplicationResource {

    /** Header a client sets to make a submission safe to retry. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ApplicationService applications;

    ApplicationResource(ApplicationService applications) {
        this.applications = applications;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply to the sandbox (multipart: fields, representatives[i].name/email, documents)")
    public Response apply(MultipartFormDataInput input, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        ApplicationService.Submission submission = applications.submit(ApplicationForm.read(input), idempotencyKey);
        ApplicationReceipt receipt = submission.receipt();
        Response.ResponseBuilder response = Response.created(URI.create(receipt.statusUrl())).entity(receipt);
        if (submission.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Where an application stands")
    public ApplicationReceipt status(@PathParam("id") UUID id) {
        return applications.status(id).orElseThrow(() -> ProblemException.notFound("Application " + id));
    }
}
