package io.sandbox.onboarding.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.sandbox.core.web.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Quarkus' own mapper for Jackson's {@link MismatchedInputException} (a value of the wrong type, e.g.
 * {@code "maxCustomers": "many"}) is more specific than the core's {@code JsonProcessingException} mapper and
 * answers plain JSON; this hands it back to the core so that the answer is a problem document naming the field.
 */
public class JsonInputProblems {

    private final ProblemMappers problems;

    JsonInputProblems(ObjectMapper json) {
        this.problems = new ProblemMappers(json);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return problems.unreadable(e, uri);
    }
}
