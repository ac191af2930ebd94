package io.sandbox.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportingEventTest {

    @Test
    void parsesTheStoredArray() {
        List<ReportingEvent> events = ReportingEvent.parseAll("[{\"schema\":\"sandbox.reporting/1\",\"type\":\"TRANSFER\","
                + "\"amount\":\"40.25\",\"currency\":\"EUR\",\"assetType\":\"DEPOSIT_TOKEN\",\"assetId\":\"bond-1\","
                + "\"from\":\"cust-alice\",\"to\":\"cust-bob\",\"timestamp\":\"2026-03-01T11:00:00Z\",\"txId\":\"tx-3\","
                + "\"futureField\":\"ignored\"}]");

        assertThat(events).containsExactly(new ReportingEvent("TRANSFER", new BigDecimal("40.25"), "EUR",
                "DEPOSIT_TOKEN", "bond-1", null, "cust-alice", "cust-bob", null, null, null,
                Instant.parse("2026-03-01T11:00:00Z")));
    }

    @Test
    void nullBlankAndMalformedGiveEmptyOrSkipWithoutThrowing() {
        assertThat(ReportingEvent.parseAll(null)).isEmpty();
        assertThat(ReportingEvent.parseAll("  ")).isEmpty();
        assertThat(ReportingEvent.parseAll("[{\"type\":")).isEmpty();
        assertThat(ReportingEvent.parseAll("{\"type\":\"PAYMENT\"}")).isEmpty();

        List<ReportingEvent> events = ReportingEvent.parseAll("[1, null, {\"amount\":\"1.00\"}, "
                + "{\"type\":\"PAYMENT\",\"amount\":\"-1.00\",\"timestamp\":\"yesterday\"}, "
                + "{\"type\":\"PAYMENT\",\"amount\":\"1.001\"}, {\"type\":\"PAYMENT\",\"amount\":{\"x\":1}}]");

        assertThat(events).hasSize(3).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo("PAYMENT");
            assertThat(e.amount()).isNull();
            assertThat(e.timestamp()).isNull();
        });
    }

    @Test
    void timestampsReadFastAreTheInstantsInstantParseReads() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 8_000_000_000L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertThat(ReportingEvent.utc(text)).as(text).isEqualTo(Instant.parse(text));
            String millis = instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
            assertThat(ReportingEvent.utc(millis)).as(millis).isEqualTo(Instant.parse(millis));
        }
        // what the fast path does not read is left to Instant.parse
        for (String other : new String[] {"2026-02-29T10:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T23:59:60Z",
            "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00+01:00", "2026-03-01 10:00:00Z", "+12026-03-01T10:00:00Z",
            "2026-3-01T10:00:00Z"}) {
            assertThat(ReportingEvent.utc(other)).as(other).isNull();
        }
    }

    @Test
    void numbersAndNestedValuesAreReadAsBefore() {
        List<ReportingEvent> events = ReportingEvent.parseAll("[{\"type\":\"PAYMENT\",\"amount\":12.5,"
                + "\"from\":{\"nested\":[1,2]},\"to\":7,\"currency\":null,\"type\":\"TRANSFER\"}, [1,[2]], \"x\"]");

        assertThat(events).containsExactly(new ReportingEvent("TRANSFER", new BigDecimal("12.5"), null, null, null,
                null, null, "7", null, null, null, null));
    }
}
