package io.sandbox.onboarding.application;

/** Where an application stands: submitted, then decided once, for good. */
public enum ApplicationStatus {
    SUBMITTED, APPROVED, REJECTED;

    public boolean decided() {
        return this != SUBMITTED;
    }
}
