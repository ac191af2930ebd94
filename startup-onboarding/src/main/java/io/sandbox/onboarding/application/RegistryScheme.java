package io.sandbox.onboarding.application;

import java.util.Optional;

/** The registries whose identifiers the platform can check. */
public enum RegistryScheme {

    /** Legal Entity Identifier, ISO 17442. */
    LEI {
        @Override
        public Optional<String> problemWith(String identifier) {
            return Lei.problemWith(identifier);
        }
    },
    /** China's Unified Social Credit Code, GB 32100-2015. */
    USCC {
        @Override
        public Optional<String> problemWith(String identifier) {
            return Uscc.problemWith(identifier);
        }
    };

    /** Why {@code identifier} is not a valid identifier of this scheme, or empty when it is. */
    public abstract Optional<String> problemWith(String identifier);

    /** The scheme named {@code name} (case-insensitive), if there is one. */
    public static Optional<RegistryScheme> named(String name) {
        for (RegistryScheme scheme : values()) {
            if (scheme.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return Optional.of(scheme);
            }
        }
        return Optional.empty();
    }
}
