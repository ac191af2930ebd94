package io.sandbox.onboarding.application;

import java.time.Instant;
import java.util.UUID;

/**
 * What an applicant learns about an application: its id, where it stands, and the URL to ask again.
 *
 * @param decidedAt when the regulator decided, or {@code null} while it is pending
 */
public record ApplicationReceipt(UUID id, ApplicationStatus status, Instant submittedAt, Instant decidedAt, String statusUrl) {

    static ApplicationReceipt of(Application application) {
        return new ApplicationReceipt(application.id, application.status, application.submittedAt, application.decidedAt,
                statusUrl(application.id));
    }

    /** The public status URL of an application. */
    public static String statusUrl(UUID id) {
        return "/api/v1/applications/" + id;
    }
}
