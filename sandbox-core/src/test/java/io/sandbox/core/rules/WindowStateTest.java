package io.sandbox.core.rules;

import static io.sandbox.core.rules.TxBuilder.payment;
import static io.sandbox.core.rules.TxBuilder.tx;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowStateTest {

    private static final String S = TxBuilder.STARTUP;

    private final WindowState windows = new WindowState();
    private final StartupProfile withPermit = TxBuilder.profile(PermitRulesTest.PERMIT);

    private void pay(String at, String amount, String from, String to) {
        windows.fold(payment(amount, from, to).at(at).build(), withPermit);
    }

    private long sum(Span span) {
        return windows.startup(S, span).sumMinor();
    }

    @Test
    void minuteWindowCoversTheCurrentSecondAndTheFiftyNineBefore() {
        pay("2026-03-01T10:00:00.000Z", "1.00", "a", "b");
        pay("2026-03-01T10:00:59.999Z", "2.00", "a", "b");
        assertThat(sum(Span.MINUTE)).isEqualTo(300);

        pay("2026-03-01T10:01:00.500Z", "4.00", "a", "b");
        assertThat(windows.startup(S, Span.MINUTE)).isEqualTo(new WindowState.Totals(2, 600, 0, 2));
        assertThat(windows.startup(S, Span.HOUR)).isEqualTo(new WindowState.Totals(3, 700, 0, 3));
    }

    @Test
    void hourWindowBoundary() {
        pay("2026-03-01T10:00:30Z", "1.00", "a", "b");
        pay("2026-03-01T10:59:59Z", "2.00", "a", "b");
        assertThat(sum(Span.HOUR)).isEqualTo(300);

        pay("2026-03-01T11:00:00Z", "4.00", "a", "b");
        assertThat(sum(Span.HOUR)).isEqualTo(600);
        assertThat(sum(Span.DAY)).isEqualTo(700);
    }

    @Test
    void dayWindowBoundaryInFifteenMinuteBuckets() {
        pay("2026-03-01T10:00:00Z", "1.00", "a", "b");
        pay("2026-03-02T09:59:59Z", "2.00", "a", "b");
        assertThat(sum(Span.DAY)).isEqualTo(300);

        pay("2026-03-02T10:00:00Z", "4.00", "a", "b");
        assertThat(sum(Span.DAY)).isEqualTo(600);
    }

    @Test
    void readsAtALaterInstantLeaveOutWhatHasExpired() {
        pay("2026-03-01T10:00:00Z", "1.00", "a", "b");
        pay("2026-03-01T10:30:00Z", "2.00", "a", "b");

        assertThat(windows.startup(S, Span.HOUR, Instant.parse("2026-03-01T10:59:00Z")).sumMinor()).isEqualTo(300);
        assertThat(windows.startup(S, Span.HOUR, Instant.parse("2026-03-01T11:00:00Z")).sumMinor()).isEqualTo(200);
        assertThat(windows.startup(S, Span.HOUR, Instant.parse("2026-03-01T11:30:00Z")).sumMinor()).isZero();
        assertThat(windows.startup(S, Span.DAY, Instant.parse("2026-03-01T11:30:00Z")).sumMinor()).isEqualTo(300);
    }

    @Test
    void perCustomerAndPerCounterparty() {
        pay("2026-03-01T10:00:00Z", "1.00", "alice", "bob");
        pay("2026-03-01T10:00:01Z", "2.00", "carol", "bob");
        pay("2026-03-01T10:00:02Z", "4.00", "alice", "dave");
        windows.fold(tx().event(TxBuilder.onboarded("erin")).at("2026-03-01T10:00:03Z").build(), withPermit);
        windows.fold(tx().event(TxBuilder.asset("ASSET_ISSUED", "8.00", "STABLECOIN", null, "frank"))
                .at("2026-03-01T10:00:04Z").build(), withPermit);

        assertThat(windows.customer(S, "alice", Span.MINUTE)).isEqualTo(new WindowState.Totals(2, 500, 0, 0));
        assertThat(windows.customer(S, "carol", Span.HOUR)).isEqualTo(new WindowState.Totals(1, 200, 0, 0));
        assertThat(windows.customer(S, "erin", Span.DAY).count()).as("customerRef").isEqualTo(1);
        assertThat(windows.customer(S, "frank", Span.DAY).sumMinor()).as("to, without from").isEqualTo(800);
        assertThat(windows.counterparty(S, "bob", Span.DAY)).isEqualTo(new WindowState.Totals(2, 300, 0, 0));
        assertThat(windows.counterparty(S, "alice", Span.DAY)).isEqualTo(WindowState.Totals.EMPTY);
        assertThat(windows.counterpartyDaySums(S, Instant.parse("2026-03-01T10:00:04Z")))
                .isEqualTo(Map.of("bob", 300L, "dave", 400L, "frank", 800L));
        assertThat(windows.customersOnboarded(S)).isEqualTo(1);
        assertThat(windows.largestSingleMinor(S, Span.DAY, Instant.parse("2026-03-01T12:00:00Z"))).isEqualTo(800);
    }

    @Test
    void invalidTransactionsCountOnlyTowardsInvalidAndTotal() {
        pay("2026-03-01T10:00:00Z", "1.00", "a", "b");
        windows.fold(payment("50.00", "a", "b").invalid().at("2026-03-01T10:00:01Z").build(), withPermit);
        windows.fold(tx().at("2026-03-01T10:00:02Z").build(), withPermit);

        assertThat(windows.startup(S, Span.MINUTE)).isEqualTo(new WindowState.Totals(1, 100, 1, 3));
        assertThat(windows.customer(S, "a", Span.MINUTE).count()).isEqualTo(1);
    }

    @Test
    void withAPermitOnlyAmountsInItsCurrencyAreSummed() {
        ReportingEvent gbp = new ReportingEvent("PAYMENT", new BigDecimal("9.00"), "GBP", null, null, "p", "a", "b",
                null, null, null, null);
        windows.fold(tx().event(gbp).build(), withPermit);
        windows.fold(tx().event(gbp).startup("nopermit").build(), TxBuilder.profile(null));

        assertThat(windows.startup(S, Span.DAY)).isEqualTo(new WindowState.Totals(1, 0, 0, 1));
        assertThat(windows.startup("nopermit", Span.DAY).sumMinor()).isEqualTo(900);
    }

    @Test
    void outOfOrderTransactionsLandInTheirOwnBucketOrAreDroppedWhenTooOld() {
        pay("2026-03-01T10:00:30Z", "1.00", "a", "b");
        pay("2026-03-01T10:00:10Z", "2.00", "a", "b");
        assertThat(sum(Span.MINUTE)).isEqualTo(300);

        pay("2026-02-27T10:00:00Z", "4.00", "a", "b");
        assertThat(sum(Span.MINUTE)).isEqualTo(300);
        assertThat(sum(Span.DAY)).isEqualTo(300);

        // 10:00:10 leaves the minute first, then 10:00:30
        pay("2026-03-01T10:01:15Z", "8.00", "a", "b");
        assertThat(sum(Span.MINUTE)).isEqualTo(900);
        pay("2026-03-01T10:01:30Z", "16.00", "a", "b");
        assertThat(sum(Span.MINUTE)).isEqualTo(2400);
        assertThat(sum(Span.HOUR)).isEqualTo(2700);
    }

    @Test
    void idleCustomersAndCounterpartiesAreEvicted() {
        for (int i = 0; i < 100; i++) {
            pay("2026-03-01T10:00:00Z", "1.00", "c" + i, "k" + i);
        }
        assertThat(windows.trackedKeys(S)).isEqualTo(200);

        pay("2026-03-02T09:00:00Z", "1.00", "late", "later");
        assertThat(windows.trackedKeys(S)).as("still inside the day").isEqualTo(202);

        pay("2026-03-02T10:15:00Z", "1.00", "late", "later");
        assertThat(windows.trackedKeys(S)).isEqualTo(2);
        assertThat(windows.customer(S, "c1", Span.DAY)).isEqualTo(WindowState.Totals.EMPTY);
        assertThat(windows.customer(S, "late", Span.DAY).count()).isEqualTo(2);
    }

    @Test
    void startupsAreKeptApart() {
        pay("2026-03-01T10:00:00Z", "1.00", "a", "b");
        windows.fold(payment("2.00", "a", "b").startup("other").build(), null);

        assertThat(sum(Span.DAY)).isEqualTo(100);
        assertThat(windows.startup("other", Span.DAY).sumMinor()).isEqualTo(200);
        assertThat(windows.latest(S)).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(windows.latest("nobody")).isNull();
    }
}
