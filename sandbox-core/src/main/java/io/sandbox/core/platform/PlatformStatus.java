package io.sandbox.core.platform;

/**
 * What a service is connected to, for operators and the dashboard header.
 *
 * @param service the service's name
 * @param database the database product and version, as the server reports it
 * @param schemaVersion the last applied Flyway migration
 * @param identityRealm the Keycloak realm that issues tokens
 */
public record PlatformStatus(String service, String database, String schemaVersion, String identityRealm) {
}
