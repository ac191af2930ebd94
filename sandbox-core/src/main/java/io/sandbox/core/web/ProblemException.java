package io.sandbox.core.web;

import java.util.Objects;

/**
 * A failure that is the client's to fix, or a state the client must know about, carried to the HTTP
 * edge as a {@link Problem}. Services throw it (or a subclass per failure stage); the edge renders it
 * once, in {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        this(problem, null);
    }

    public ProblemException(Problem problem, Throwable cause) {
        super(Objects.requireNonNull(problem, "problem").detail(), cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of("not-found", "Not Found", 404, what + " does not exist or is not visible to you."));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of("bad-request", "Bad Request", 400, detail));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of("conflict", "Conflict", 409, detail));
    }
}
