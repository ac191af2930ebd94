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
}
