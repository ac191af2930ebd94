package io.sandbox.core.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sandbox.core.rules.Permit;
import io.sandbox.core.rules.ReportingEvent;
import io.sandbox.core.rules.Severity;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.core.rules.TransactionFacts;
import io.sandbox.core.rules.WindowState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RiskTrackerTest {

    private static final Permit PERMIT = new Permit(4, new BigDecimal("100.00"), new BigDecimal("400.00"), "EUR",
            List.of("X"), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-10"));
    private static final StartupProfile ACME = new StartupProfile("acme", "c", "AcmeMSP", PERMIT, Set.of("sandbox"),
            Set.of("AcmeMSP"));

    private final WindowState windows = new WindowState();
    private final RiskTracker tracker = new RiskTracker(ACME, windows);

    private void fold(String at, String type, String amount, String from, String to, String customerRef, boolean valid) {
        ReportingEvent e = new ReportingEvent(type, amount == null ? null : new BigDecimal(amount),
                amount == null ? null : "EUR", null, null, null, from, to, customerRef, null, null, null);
        TransactionFacts tx = new TransactionFacts("c", "acme", 1, 0, "t", Instant.parse(at), "ENDORSER_TRANSACTION",
                "AcmeMSP", List.of("AcmeMSP"), "sandbox", "f", valid ? "VALID" : "MVCC_READ_CONFLICT", e);
        windows.fold(tx, ACME);
        tracker.fold(tx);
    }

    @Test
    void baselineIsAnEwmaOfCompletedHoursWithIdleHoursAsZero() {
        fold("2026-03-02T10:00:00Z", "PAYMENT", "1.00", "a", "b", null, true);
        fold("2026-03-02T10:10:00Z", "PAYMENT", "1.00", "a", "b", null, true);
        assertThat(tracker.baseline()).isZero();

        fold("2026-03-02T11:00:00Z", "PAYMENT", "1.00", "a", "b", null, true);
        assertThat(tracker.baseline()).isEqualTo(2.0);

        fold("2026-03-02T13:30:00Z", "PAYMENT", "1.00", "a", "b", null, true);
        // hour 11 (1), hour 12 (0)
        double expected = 0.92 * (0.08 * 1 + 0.92 * 2.0);
        assertThat(tracker.baseline()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void inputsFromTheWindowsAndThePermit() {
        fold("2026-03-02T10:00:00Z", "CUSTOMER_ONBOARDED", null, null, null, "alice", true);
        fold("2026-03-02T10:01:00Z", "CUSTOMER_ONBOARDED", null, null, null, "bob", true);
        fold("2026-03-02T10:02:00Z", "PAYMENT", "75.00", "alice", "bob", null, true);
        fold("2026-03-02T10:03:00Z", "PAYMENT", "25.00", "bob", "carol", null, true);
        fold("2026-03-02T10:04:00Z", "PAYMENT", "99.00", "bob", "carol", null, false);

        RiskInputs in = tracker.inputs(Instant.parse("2026-03-02T12:00:00Z"), Map.of(Severity.LOW, 2L));

        assertThat(in.breaches(Severity.LOW)).isEqualTo(2);
        assertThat(in.hourCount()).as("nothing in the last hour at 12:00").isZero();
        assertThat(in.invalidRatio()).isEqualTo(0.2);
        // shares 0.75 and 0.25
        assertThat(in.counterpartyHhi()).isCloseTo(0.625, within(1e-12));
        assertThat(in.utilisation()).containsEntry("customers", 0.5).containsEntry("singleValue", 0.75)
                .containsEntry("dailyVolume", 0.25);
        // 1 day 12 h of a 10-day window
        assertThat(in.utilisation().get("testWindow")).isCloseTo(0.15, within(1e-12));
        assertThat(tracker.inputs(Instant.parse("2026-03-02T10:30:00Z"), Map.of()).hourCount()).isEqualTo(5);
    }

    @Test
    void noPermitNoUtilisation() {
        RiskTracker bare = new RiskTracker(new StartupProfile("bare", null, null, null, null, null), windows);

        RiskInputs in = bare.inputs(Instant.parse("2026-03-02T12:00:00Z"), Map.of());

        assertThat(in.utilisation()).isEmpty();
        assertThat(RiskModel.score(in).score()).isZero();
    }
}
