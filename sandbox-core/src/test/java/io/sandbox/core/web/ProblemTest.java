package io.sandbox.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serialisesAsRfc9457WithExtensionMembersAtTopLevel() throws Exception {
        Problem problem = Problem.of("invalid-request", "Invalid Request", 400, "The request has invalid fields: lei.")
                .withInstance(URI.create("/api/v1/applications"))
                .withErrors(List.of(new Problem.FieldError("lei", "check digits do not match")))
                .with("reference", "abc");

        JsonNode node = json.readTree(json.writeValueAsString(problem));

        assertThat(node.get("type").asText()).isEqualTo("urn:sandbox:problem:invalid-request");
        assertThat(node.get("title").asText()).isEqualTo("Invalid Request");
        assertThat(node.get("status").asInt()).isEqualTo(400);
        assertThat(node.get("detail").asText()).isEqualTo("The request has invalid fields: lei.");
        assertThat(node.get("instance").asText()).isEqualTo("/api/v1/applications");
        assertThat(node.get("errors").get(0).get("field").asText()).isEqualTo("lei");
        assertThat(node.get("reference").asText()).isEqualTo("abc");
        assertThat(node.has("extensions")).isFalse();
    }

    @Test
    void omitsAbsentMembers() throws Exception {
        JsonNode node = json.readTree(json.writeValueAsString(Problem.of("not-found", "Not Found", 404, "gone")));

        assertThat(node.has("instance")).isFalse();
        assertThat(node.has("errors")).isFalse();
    }

    @Test
    void problemExceptionCarriesItsProblem() {
        ProblemException e = ProblemException.notFound("Application 42");

        assertThat(e.problem().status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("Application 42 does not exist or is not visible to you.");
        assertThatThrownBy(() -> new ProblemException(null)).isInstanceOf(NullPointerException.class).hasMessage("problem");
    }
}
