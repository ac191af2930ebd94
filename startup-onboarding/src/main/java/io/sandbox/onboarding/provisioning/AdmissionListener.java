package io.sandbox.onboarding.provisioning;

import io.sandbox.onboarding.application.Application;
import io.sandbox.onboarding.review.ApplicationApproved;
import io.sandbox.onboarding.provisioning.StartupAdmission.Representative;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Turns an approval into a provisioning request inside the approval's own transaction: the decision and the request
 * to provision commit together or not at all, and the worker starts once they have.
 */
@ApplicationScoped
class AdmissionListener {

    private static final int MAX_SLUG = 30;

    private final ProvisioningService provisioning;

    AdmissionListener(ProvisioningService provisioning) {
        this.provisioning = provisioning;
    }

    void onApproved(@Observes ApplicationApproved approved) {
        Application application = Application.findById(approved.applicationId());
        var representatives = application.representatives.stream()
                .map(r -> new Representative(r.name, r.email)).toList();
        provisioning.request(new StartupAdmission(approved.applicationId(), approved.legalName(),
                uniqueSlug(approved.legalName(), approved.applicationId()), representatives,
                approved.applicationId()));
    }

    /** The legal name as a slug ({@code "Acme Pay Ltd."} → {@code acme-pay-ltd}), unique among provisionings. */
    private static String uniqueSlug(String legalName, java.util.UUID applicationId) {
        String base = slug(legalName);
        if (Provisioning.count("(slug = ?1 or mspId = ?2) and applicationId <> ?3", base, Provisioning.mspId(base),
                applicationId) == 0) {
            return base;
        }
        String suffix = applicationId.toString().substring(0, 6);
        return base.substring(0, Math.min(base.length(), MAX_SLUG - 7)).replaceAll("-+$", "") + "-" + suffix;
    }

    static String slug(String legalName) {
        String ascii = Normalizer.normalize(legalName, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (ascii.isEmpty() || !Character.isLetter(ascii.charAt(0))) {
            ascii = "startup-" + ascii;
        }
        ascii = ascii.substring(0, Math.min(ascii.length(), MAX_SLUG)).replaceAll("-+$", "");
        return ascii.length() < 2 ? ascii + "-x" : ascii;
    }
}
