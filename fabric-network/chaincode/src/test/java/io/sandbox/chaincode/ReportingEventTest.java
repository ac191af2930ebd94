package io.sandbox.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReportingEventTest {

    private static final Instant TS = Instant.parse("2026-03-01T09:30:00.000000500Z");

    private static ReportingEvent transfer() {
        return ReportingEvent.of(ReportingEvent.Type.TRANSFER).to("b").from("a").assetId("x").assetType("BOND")
                .currency("EUR").amount("1.00");
    }

    @Test
    void fieldOrderIsFixedWhateverTheOrderOfTheSetters() {
        byte[] one = transfer().toPayload(TS, "tx");
        byte[] two = ReportingEvent.of(ReportingEvent.Type.TRANSFER).amount("1.00").currency("EUR")
                .assetType("BOND").assetId("x").from("a").to("b").toPayload(TS, "tx");
        assertThat(one).isEqualTo(two);
        assertThat(new String(one, StandardCharsets.UTF_8)).isEqualTo(
                "{\"schema\":\"sandbox.reporting/1\",\"type\":\"TRANSFER\",\"amount\":\"1.00\",\"currency\":\"EUR\","
                        + "\"assetType\":\"BOND\",\"assetId\":\"x\",\"from\":\"a\",\"to\":\"b\","
                        + "\"timestamp\":\"2026-03-01T09:30:00.000000500Z\",\"txId\":\"tx\"}");
    }

    @Test
    void repeatedRendersAreByteIdentical() {
        byte[] first = transfer().toPayload(TS, "tx");
        for (int i = 0; i < 100; i++) {
            assertThat(transfer().toPayload(TS, "tx")).isEqualTo(first);
        }
    }

    @Test
    void timestampIsUtcIso8601() {
        assertThat(ReportingEvent.timestamp(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo("2026-12-31T23:59:59Z");
        assertThat(ReportingEvent.timestamp(Instant.ofEpochSecond(0, 123_000_000))).isEqualTo("1970-01-01T00:00:00.123Z");
    }

    @Test
    void payloadParsesBackAsAFlatStringObject() {
        Map<String, String> parsed = Json.parse(transfer().toPayload(TS, "tx"));
        assertThat(parsed).containsEntry("schema", "sandbox.reporting/1").containsEntry("amount", "1.00")
                .doesNotContainKey("customerRef");
        assertThat(parsed.values()).allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
    }

    @Test
    void jsonEscapingRoundTrips() {
        String tricky = "quote\" backslash\\ newline\n tab\t nul\u0000 unicode \u00e9";
        String json = Json.obj().put("k", tricky).put("skipped", null).toJson();
        assertThat(json).isEqualTo("{\"k\":\"quote\\\" backslash\\\\ newline\\n tab\\t nul\\u0000 unicode \u00e9\"}");
        assertThat(Json.parse(json.getBytes(StandardCharsets.UTF_8))).containsExactly(Map.entry("k", tricky));
    }
}
