package io.sandbox.dashboard.web;

import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects the invalid fields of a request body; {@link #check()} refuses it with one problem naming every field. */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** Records that {@code field} is invalid. */
    public FieldErrors add(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    /** A required text: present and not blank, at most {@code max} characters; the stripped value or null. */
    public String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            add(field, "is required");
            return null;
        }
        if (value.length() > max) {
            add(field, "must be at most " + max + " characters long");
            return null;
        }
        return value.strip();
    }

    /** An enum constant by name (case-insensitive); null (and an error) if absent or unknown. */
    public <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            add(field, "is required");
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            add(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got '" + value + "'");
            return null;
        }
    }

    /** Throws a 400 problem listing every invalid field, if there is one. */
    public void check() {
        if (!errors.isEmpty()) {
            String fields = String.join(", ", errors.stream().map(Problem.FieldError::field).distinct().toList());
            throw new ProblemException(Problem.of("invalid-request", "Bad Request", 400,
                    "The request has invalid fields: " + fields + ".").withErrors(errors));
        }
    }
}
