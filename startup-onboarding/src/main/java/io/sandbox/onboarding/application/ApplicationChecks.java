package io.sandbox.onboarding.application;

import io.sandbox.core.web.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The field checks of an application; documents are checked by {@link ApplicationService}. */
final class ApplicationChecks {

    static final int MAX_NAME = 300;
    static final int MAX_DESCRIPTION = 10_000;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** The checked values, normalised (trimmed; codes upper-case). */
    record Checked(String legalName, String jurisdiction, RegistryScheme scheme, String identifier, String contactEmail,
            String pilotDescription, List<Representative> representatives) {
    }

    private ApplicationChecks() {
    }

    /** The normalised application, or the field errors that stop it. */
    static Result check(ApplicationForm form) {
        List<FieldError> errors = new ArrayList<>();
        String legalName = text(form.legalName());
        if (legalName.isEmpty()) {
            errors.add(new FieldError("legalName", "is required"));
        } else if (legalName.length() > MAX_NAME) {
            errors.add(new FieldError("legalName", "is longer than " + MAX_NAME + " characters"));
        }
        String jurisdiction = text(form.jurisdiction()).toUpperCase(Locale.ROOT);
        if (jurisdiction.isEmpty()) {
            errors.add(new FieldError("jurisdiction", "is required (an ISO 3166-1 alpha-2 country code, e.g. DE or CN)"));
        } else if (!COUNTRIES.contains(jurisdiction)) {
            errors.add(new FieldError("jurisdiction", "is not an ISO 3166-1 alpha-2 country code"));
        }
        Optional<RegistryScheme> scheme = RegistryScheme.named(form.registryScheme());
        String identifier = text(form.registryIdentifier()).replace(" ", "").toUpperCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            errors.add(new FieldError("registryScheme", "must be LEI or USCC"));
        }
        if (identifier.isEmpty()) {
            errors.add(new FieldError("registryIdentifier", "is required"));
        } else {
            scheme.flatMap(s -> s.problemWith(identifier)).ifPresent(p -> errors.add(new FieldError("registryIdentifier", p)));
        }
        if (scheme.orElse(null) == RegistryScheme.USCC && COUNTRIES.contains(jurisdiction) && !jurisdiction.equals("CN")) {
            errors.add(new FieldError("jurisdiction", "must be CN for a Unified Social Credit Code, which only China issues"));
        }
        String contactEmail = text(form.contactEmail());
        email(contactEmail, "contactEmail", errors);
        String description = text(form.pilotDescription());
        if (description.isEmpty()) {
            errors.add(new FieldError("pilotDescription", "is required"));
        } else if (description.length() > MAX_DESCRIPTION) {
            errors.add(new FieldError("pilotDescription", "is longer than " + MAX_DESCRIPTION + " characters"));
        }
        List<Representative> representatives = new ArrayList<>();
        if (form.representatives().isEmpty()) {
            errors.add(new FieldError("representatives", "name at least one representative"));
        }
        for (int i = 0; i < form.representatives().size(); i++) {
            ApplicationForm.RepresentativeInput r = form.representatives().get(i);
            String name = text(r.name());
            String email = text(r.email());
            if (name.isEmpty()) {
                errors.add(new FieldError("representatives[" + i + "].name", "is required"));
            } else if (name.length() > MAX_NAME) {
                errors.add(new FieldError("representatives[" + i + "].name", "is longer than " + MAX_NAME + " characters"));
            }
            email(email, "representatives[" + i + "].email", errors);
            representatives.add(new Representative(name, email));
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new Checked(legalName, jurisdiction, scheme.orElseThrow(), identifier, contactEmail, description,
                representatives), List.of());
    }

    record Result(Checked application, List<FieldError> errors) {
    }

    private static void email(String email, String field, List<FieldError> errors) {
        if (email.isEmpty()) {
            errors.add(new FieldError(field, "is required"));
        } else if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            errors.add(new FieldError(field, "is not an e-mail address"));
        }
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }
}
