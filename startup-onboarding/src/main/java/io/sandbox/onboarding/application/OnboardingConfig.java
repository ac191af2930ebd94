package io.sandbox.onboarding.application;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** Limits on applications, under {@code sandbox.onboarding}. */
@ConfigMapping(prefix = "sandbox.onboarding")
public interface OnboardingConfig {

    /** Supporting documents. */
    Documents documents();

    interface Documents {

        /** The largest document accepted; a larger one is refused with 413. Keep below {@code quarkus.http.limits.max-body-size}. */
        @WithDefault("5M")
        MemorySize maxSize();

        /** How many documents one application may carry. */
        @WithDefault("10")
        int maxCount();

        /** The document types accepted (recognised by content, not by the declared type); others are refused with 415. */
        @WithDefault("PDF,PNG,JPEG")
        Set<DocumentType> allowedTypes();
    }
}
