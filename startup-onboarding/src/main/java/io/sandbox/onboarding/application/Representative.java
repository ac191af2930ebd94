package io.sandbox.onboarding.application;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A person who speaks for the applying startup. */
@Embeddable
public class Representative {

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String email;

    protected Representative() {
    }

    public Representative(String name, String email) {
        this.name = name;
        this.email = email;
    }
}
