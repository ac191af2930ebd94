package io.sandbox.core.rules;

/** What a rule does when it matches. */
public enum RuleMode {
    /** Evaluated; a match is a would-be alert, recorded but not raised. */
    TEST,
    /** Evaluated; a match raises an alert. */
    ACTIVE,
    /** Not evaluated. */
    DISABLED
}
