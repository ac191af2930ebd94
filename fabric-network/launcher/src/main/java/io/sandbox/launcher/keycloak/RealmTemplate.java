package io.sandbox.launcher.keycloak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox.launcher.LauncherException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code sandbox} realm: {@code sandbox-realm.json} with its {@code {{name}}} placeholders filled
 * (values JSON-escaped), plus the user profile of {@code sandbox-user-profile.json}, which declares the
 * admin-managed {@code tenant} attribute. The repository holds no secret: they all come as values.
 */
final class RealmTemplate {

    static final String REALM = "sandbox";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_PROFILE_PROVIDER = "org.keycloak.userprofile.UserProfileProvider";

    private RealmTemplate() {
    }

    /** The realm to import, as JSON, rendered from the bundled template. */
    static String render(Map<String, String> values) {
        ObjectNode realm = parse(fill(resource("sandbox-realm.json"), values), "sandbox-realm.json");
        String userProfile = compact(parse(resource("sandbox-user-profile.json"), "sandbox-user-profile.json"));
        ObjectNode component = realm.withObjectProperty("components").withArrayProperty(USER_PROFILE_PROVIDER).addObject();
        component.put("providerId", "declarative-user-profile");
        component.putObject("subComponents");
        component.putObject("config").putArray("kc.user.profile.config").add(userProfile);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(realm);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces every placeholder of {@code template} with its JSON-escaped value; refuses a placeholder
     * without a (non-blank) value, naming all of them.
     */
    static String fill(String template, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length());
        Set<String> missing = new TreeSet<>();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null || value.isBlank()) {
                missing.add(matcher.group(1));
                value = "";
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(new String(JsonStringEncoder.getInstance().quoteAsString(value))));
        }
        matcher.appendTail(out);
        if (!missing.isEmpty()) {
            throw new LauncherException("The Keycloak realm template needs values that were not given: %s. Pass them in KeycloakSettings.realmValues()."
                    .formatted(String.join(", ", missing)));
        }
        return out.toString();
    }

    /** Writes {@code json} to {@code target}, readable by the owner only, replacing it atomically. */
    static void write(String json, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), ".realm-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temporary, json, StandardCharsets.UTF_8);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new LauncherException("Could not write the Keycloak realm file " + target + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode parse(String json, String name) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new LauncherException("The Keycloak realm template " + name + " is not a JSON object.");
        } catch (JsonProcessingException e) {
            throw new LauncherException("The Keycloak realm template " + name + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String compact(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = RealmTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new LauncherException("The launcher was built without " + name + "; rebuild it with ./mvnw install.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LauncherException("Could not read " + name + " from the launcher: " + e.getMessage(), e);
        }
    }
}
