package io.sandbox.onboarding.review;

import io.quarkus.security.identity.SecurityIdentity;
import io.sandbox.core.security.Caller;
import io.sandbox.core.security.Roles;
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
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The regulator's review of applications. Regulators only. */
@Path(ReviewResource.PATH)
@Tag(name = "Review")
@RolesAllowed(Roles.REGULATOR)
public class ReviewResource {

    static final String PATH = "/api/v1/review/applications";

    private final ReviewService review;
    private final SecurityIdentity identity;

    ReviewResource(ReviewService review, SecurityIdentity identity) {
        this.review = review;
        this.identity = identity;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pending applications, oldest first")
    public List<ApplicationSummary> queue() {
        return review.queue();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "An application in full: representatives, documents with their SHA-256, decision and permit")
    public ApplicationDetail detail(@PathParam("id") UUID id) {
        return review.detail(id);
    }

    @GET
    @Path("{id}/documents/{documentId}")
    @Operation(summary = "Download a supporting document; Repr-Digest carries its SHA-256")
    public Response document(@PathParam("id") UUID id, @PathParam("documentId") UUID documentId) {
        DocumentContent document = review.document(id, documentId);
        String digest = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(document.sha256()));
        return Response.ok(document.content(), document.mediaType())
                .header("Content-Disposition", "attachment; filename=\"" + document.fileName().replaceAll("[\"\\\\\\r\\n]", "_") + "\"")
                .header("Repr-Digest", "sha-256=:" + digest + ":")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    @POST
    @Path("{id}/approval")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve a pending application with a reason and the pilot's permit")
    public ApplicationDetail approve(@PathParam("id") UUID id, Approval approval) {
        return review.approve(id, approval, Caller.of(identity).username());
    }

    @POST
    @Path("{id}/rejection")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a pending application with a reason")
    public ApplicationDetail reject(@PathParam("id") UUID id, Rejection rejection) {
        return review.reject(id, rejection, Caller.of(identity).username());
    }
}
