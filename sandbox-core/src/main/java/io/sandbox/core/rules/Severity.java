package io.sandbox.core.rules;

/** How serious a rule's breach is, from least to most. */
public enum Severity {
    LOW, MEDIUM, HIGH, SEVERE
}
