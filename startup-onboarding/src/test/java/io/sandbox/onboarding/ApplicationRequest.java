package io.sandbox.onboarding;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test data: a valid multipart application to the API, to be varied one field at a time. */
final class ApplicationRequest {

    static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1};

    record Document(String fileName, byte[] content, String declaredType) {
    }

    private final Map<String, String> fields = new LinkedHashMap<>();
    private final List<Document> documents = new ArrayList<>();

    private ApplicationRequest() {
    }

    /** A valid application from a startup with a unique legal name. */
    static ApplicationRequest valid() {
        ApplicationRequest request = new ApplicationRequest();
        request.fields.put("legalName", "Test Pay " + UUID.randomUUID());
        request.fields.put("jurisdiction", "DE");
        request.fields.put("registryScheme", "LEI");
        request.fields.put("registryIdentifier", "5493001KJTIIGC8Y1R12");
        request.fields.put("contactEmail", "founders@testpay.example");
        request.fields.put("pilotDescription", "Instant euro payments between SMEs, capped per customer.");
        request.fields.put("representatives[0].name", "Ada Founder");
        request.fields.put("representatives[0].email", "ada@testpay.example");
        request.documents.add(new Document("registry-extract.pdf", PDF, "application/pdf"));
        return request;
    }

    String legalName() {
        return fields.get("legalName");
    }

    ApplicationRequest with(String field, String value) {
        fields.put(field, value);
        return this;
    }

    ApplicationRequest without(String field) {
        fields.remove(field);
        return this;
    }

    ApplicationRequest documents(Document... replacement) {
        documents.clear();
        documents.addAll(Arrays.asList(replacement));
        return this;
    }

    RequestSpecification spec() {
        RequestSpecification spec = given().contentType("multipart/form-data");
        fields.forEach((name, value) -> spec.multiPart(name, value));
        for (Document d : documents) {
            spec.multiPart("documents", d.fileName(), d.content(), d.declaredType());
        }
        return spec;
    }
}
