package io.sandbox.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The canonical encoding of an audit row and its hash; the format is described in the package documentation. */
public final class AuditEncoding {

    /** The version tag that starts every row's content. */
    public static final String VERSION = "sandbox-audit/1";

    /** The length of a hash (SHA-256) in bytes. */
    public static final int HASH_LENGTH = 32;

    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private static final JsonFactory FACTORY = new JsonFactory();

    private AuditEncoding() {
    }

    /** 32 zero bytes: the previous hash of the first row. */
    public static byte[] genesis() {
        return new byte[HASH_LENGTH];
    }

    /** An instant cut to the precision the database keeps (microseconds). */
    public static Instant truncate(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The canonical JSON of a details map (or any value Jackson can turn into an object). */
    public static String canonicalJson(Map<String, ?> details) {
        return canonicalJson((JsonNode) JSON.valueToTree(Objects.requireNonNull(details, "details")));
    }

    /** The canonical JSON of a JSON text, e.g. a {@code jsonb} value read back from the database. */
    public static String canonicalJson(String json) {
        try {
            return canonicalJson(JSON.readTree(Objects.requireNonNull(json, "json")));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a JSON document: " + e.getOriginalMessage(), e);
        }
    }

    /** The canonical JSON of a tree. */
    public static String canonicalJson(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The bytes a row's hash covers (without the previous hash). */
    public static byte[] content(Instant occurredAt, String actor, String action, String subject, String reason,
            String canonicalDetails) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, VERSION);
        field(out, MICROS.format(truncate(Objects.requireNonNull(occurredAt, "occurredAt"))));
        field(out, Objects.requireNonNull(actor, "actor"));
        field(out, Objects.requireNonNull(action, "action"));
        field(out, Objects.requireNonNull(subject, "subject"));
        field(out, reason);
        field(out, Objects.requireNonNull(canonicalDetails, "canonicalDetails"));
        return out.toByteArray();
    }

    /** {@code SHA-256(content || previousHash)}. */
    public static byte[] hash(byte[] content, byte[] previousHash) {
        if (previousHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("A previous hash has " + HASH_LENGTH + " bytes, not " + previousHash.length);
        }
        MessageDigest sha256 = sha256();
        sha256.update(content);
        sha256.update(previousHash);
        return sha256.digest();
    }

    /** The hash a row should have, given the content it stores and its previous hash. */
    public static byte[] hashOf(AuditEvent event) {
        return hash(content(event.occurredAt(), event.actor(), event.action(), event.subject(), event.reason(),
                canonicalJson(event.details())), event.previousHash());
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static void write(JsonNode node, JsonGenerator out) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                Collections.sort(names);
                out.writeStartObject();
                for (String name : names) {
                    out.writeFieldName(name);
                    write(node.get(name), out);
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode element : node) {
                    write(element, out);
                }
                out.writeEndArray();
            }
            case STRING -> out.writeString(node.textValue());
            case NUMBER -> out.writeRawValue(number(node.decimalValue()));
            case BOOLEAN -> out.writeBoolean(node.booleanValue());
            case NULL -> out.writeNull();
            default -> throw new IllegalArgumentException("Audit details hold only JSON values, not " + node.getNodeType());
        }
    }

    private static String number(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        return value.stripTrailingZeros().toPlainString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
