package io.sandbox.core.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP responses: every error is an RFC 9457
 * {@code application/problem+json} document with a clear message; no class name or stack trace ever
 * leaves the service. Unexpected failures are logged with a reference the client also receives.
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ObjectMapper json;

    public ProblemMappers(ObjectMapper json) {
        this.json = json;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return render(e.problem(), uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String fields = errors.stream().map(Problem.FieldError::field).distinct().collect(Collectors.joining(", "));
        return render(Problem.of("invalid-request", "Invalid Request", 400,
                "The request has invalid fields: " + fields + ".").withErrors(errors), uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        String where = location(e.getLocation());
        String detail;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            detail = "The request body has a value of the wrong type or form at '" + field + "'" + where + ".";
            return render(Problem.of("unreadable-body", "Unreadable Request Body", 400, detail)
                    .withErrors(List.of(new Problem.FieldError(field, "wrong type or form"))), uri);
        }
        detail = "The request body is not valid JSON" + where + ".";
        return render(Problem.of("unreadable-body", "Unreadable Request Body", 400, detail), uri);
    }

    /**
     * A JSON value of the wrong type (e.g. {@code "maxCustomers": "many"}): Quarkus' own mapper for this subclass is
     * more specific than {@link #unreadable}'s, so it is named here to keep the answer a problem document.
     */
    @ServerExceptionMapper
    public Response mismatched(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadable(e, uri);
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        return builder(Problem.of("unauthenticated", "Unauthorized", 401,
                "The access token is missing, expired or not valid. Sign in again and send 'Authorization: Bearer <token>'."), uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .build();
    }

    @ServerExceptionMapper
    public Response anonymous(UnauthorizedException e, UriInfo uri) {
        return builder(Problem.of("unauthenticated", "Unauthorized", 401,
                "This resource needs an access token: send 'Authorization: Bearer <token>' from the sandbox's Keycloak."), uri)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return render(Problem.of("forbidden", "Forbidden", 403,
                "Your role does not allow this action."), uri);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri, Request request) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = e.getResponse().getStatusInfo();
        String title = type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No resource at " + uri.getPath() + ".";
            case 405 -> request.getMethod() + " is not allowed on " + uri.getPath() + allowed(e) + ".";
            case 406 -> "None of the media types in the Accept header can be produced here.";
            case 415 -> "The request's Content-Type is not accepted here.";
            default -> status >= 500 ? "The server could not complete the request." : title + ".";
        };
        if (status >= 500) {
            return unexpected(e, uri);
        }
        Response.ResponseBuilder response = builder(Problem.of(slug(title), title, status, detail), uri);
        if (e instanceof NotAllowedException) {
            response.header(HttpHeaders.ALLOW, e.getResponse().getHeaderString(HttpHeaders.ALLOW));
        }
        return response.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure on %s (reference %s)", uri.getPath(), reference);
        return render(Problem.of("internal-error", "Internal Server Error", 500,
                "The server failed to complete the request. Quote reference " + reference + " to the operator.")
                .with("reference", reference), uri);
    }

    private Response render(Problem problem, UriInfo uri) {
        return builder(problem, uri).build();
    }

    private Response.ResponseBuilder builder(Problem problem, UriInfo uri) {
        Problem located = problem.instance() == null && uri != null
                ? problem.withInstance(URI.create(uri.getPath()))
                : problem;
        String body;
        try {
            body = json.writeValueAsString(located);
        } catch (JsonProcessingException impossible) {
            body = "{\"title\":\"Internal Server Error\",\"status\":500}";
        }
        return Response.status(located.status()).type(Problem.MEDIA_TYPE).entity(body);
    }

    private static String fieldOf(ConstraintViolation<?> violation) {
        // Paths look like "method.arg0.field"; keep what names the input, not the Java method.
        String path = violation.getPropertyPath().toString();
        int firstDot = path.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : path.indexOf('.', firstDot + 1);
        return secondDot > 0 ? path.substring(secondDot + 1) : path;
    }

    private static String location(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String allowed(WebApplicationException e) {
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return allow == null || allow.isBlank() ? "" : "; allowed: " + allow;
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
