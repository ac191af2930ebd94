package io.sandbox.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEncodingTest {

    @Test
    void canonicalJsonSortsMembersAndDropsWhitespace() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("zeta", 1);
        details.put("alpha", Map.of("b", true, "a", List.of(3, "x")));
        details.put("Beta", "é\"\n");

        assertThat(AuditEncoding.canonicalJson(details))
                .isEqualTo("{\"Beta\":\"é\\\"\\n\",\"alpha\":{\"a\":[3,\"x\"],\"b\":true},\"zeta\":1}");
    }

    @Test
    void canonicalJsonSurvivesTheWayJsonbRewritesADocument() {
        // jsonb orders members by length then bytes, adds spaces, and keeps numbers as numeric.
        String asStored = "{\"b\": 1.50, \"aa\": [1E+2, 0.0, -3], \"c\": null}";

        assertThat(AuditEncoding.canonicalJson(asStored)).isEqualTo("{\"aa\":[100,0,-3],\"b\":1.5,\"c\":null}");
        assertThat(AuditEncoding.canonicalJson(AuditEncoding.canonicalJson(asStored)))
                .isEqualTo(AuditEncoding.canonicalJson(asStored));
    }

    @Test
    void keysAreOrderedByUtf16CodeUnits() {
        assertThat(AuditEncoding.canonicalJson("{\"\u00e9\":1,\"z\":2,\"Z\":3,\"\ud83d\ude00\":4,\"\uff21\":5}"))
                .isEqualTo("{\"Z\":3,\"z\":2,\"\u00e9\":1,\"\ud83d\ude00\":4,\"\uff21\":5}");
    }

    @Test
    void contentIsLengthPrefixedFieldsWithNullAsMinusOne() {
        byte[] content = AuditEncoding.content(Instant.parse("2026-01-31T09:15:02.123456789Z"), "reg", "a.b", "s/1", null, "{}");

        String expected = hexField(AuditEncoding.VERSION) + hexField("2026-01-31T09:15:02.123456Z") + hexField("reg")
                + hexField("a.b") + hexField("s/1") + "ffffffff" + hexField("{}");
        assertThat(HexFormat.of().formatHex(content)).isEqualTo(expected);
    }

    @Test
    void timestampsAlwaysCarrySixFractionDigits() {
        byte[] whole = AuditEncoding.content(Instant.parse("2026-01-31T09:15:02Z"), "a", "b", "c", "", "{}");

        assertThat(new String(whole, StandardCharsets.UTF_8)).contains("2026-01-31T09:15:02.000000Z");
    }

    @Test
    void anEmptyReasonAndANullReasonAreDifferent() {
        Instant at = Instant.parse("2026-01-31T09:15:02Z");

        assertThat(AuditEncoding.content(at, "a", "b", "c", "", "{}"))
                .isNotEqualTo(AuditEncoding.content(at, "a", "b", "c", null, "{}"));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        Instant at = Instant.parse("2026-01-31T09:15:02Z");

        assertThat(AuditEncoding.content(at, "ab", "c", "s", null, "{}"))
                .isNotEqualTo(AuditEncoding.content(at, "a", "bc", "s", null, "{}"));
    }

    @Test
    void hashIsSha256OfContentThenPreviousHash() throws Exception {
        byte[] content = "content".getBytes(StandardCharsets.UTF_8);
        byte[] previous = new byte[32];
        previous[31] = 7;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(content);
        sha.update(previous);

        assertThat(AuditEncoding.hash(content, previous)).isEqualTo(sha.digest());
        assertThatThrownBy(() -> AuditEncoding.hash(content, new byte[5])).isInstanceOf(IllegalArgumentException.class);
    }

    private static String hexField(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return "%08x".formatted(bytes.length) + HexFormat.of().formatHex(bytes);
    }
}
