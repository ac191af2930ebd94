package io.sandbox.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Facts the build wrote into the launcher: the Maven repository that cached the runtime payloads
 * (Keycloak's distribution, PostgreSQL binaries) and their versions.
 */
public record BuildInfo(Path mavenRepository, String keycloakVersion, String postgresBinariesVersion) {

    public static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new LauncherException("The launcher was built without build.properties; rebuild it with ./mvnw install.");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new LauncherException("Could not read the launcher's build.properties: " + e.getMessage(), e);
        }
        return new BuildInfo(Path.of(properties.getProperty("maven.repository")),
                properties.getProperty("keycloak.version"),
                properties.getProperty("postgres.binaries.version"));
    }

    /** Where Maven keeps {@code groupId:artifactId:version[:classifier]} of the given type. */
    public Path artifact(String groupId, String artifactId, String version, String classifier, String type) {
        String file = artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
        return mavenRepository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version).resolve(file);
    }
}
