package io.sandbox.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BacktestTest {

    /** A generated history: one payment a second; every 100th is 500.00, the others 1.00. */
    static Iterator<TransactionFacts> history(int n, String startup) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public TransactionFacts next() {
                int k = i++;
                String amount = k % 100 == 99 ? "500.00" : "1.00";
                ReportingEvent e = new ReportingEvent("PAYMENT", new BigDecimal(amount), "EUR", null, null, "p" + k,
                        "cust-" + (k % 37), "cust-" + (k % 11), null, null, null, null);
                return TxBuilder.tx().startup(startup).id("tx-" + k).at(TxBuilder.T0.plusSeconds(k)).event(e)
                        .block(k / 10).build();
            }
        };
    }

    private final RuleCompiler compiler = new RuleCompiler();

    @Test
    void flagsWhatTheDraftWouldHaveFlaggedAndKeepsTheFirstHits() {
        CompiledRule draft = compiler.compile(new RuleDefinition("draft", 1, "Big", Severity.LOW, RuleMode.DISABLED,
                Set.of(), "event.amount >= 500.0"));

        Backtest.BacktestResult result = Backtest.run(draft, history(10_000, "acme"), s -> TxBuilder.profile(null), 3);

        assertThat(result.scanned()).isEqualTo(10_000);
        assertThat(result.hits()).isEqualTo(100);
        assertThat(result.firstHits()).extracting(RuleHit::txId).containsExactly("tx-99", "tx-199", "tx-299");
        assertThat(result.errors()).isZero();
    }

    @Test
    void windowsAreRebuiltFromTheHistoryInOrder() {
        // the hourly volume: 3600 s → 36 × 500.00 + 3564 × 1.00 = 21564.00 once the first hour is full
        CompiledRule draft = compiler.compile(new RuleDefinition("vol", 1, "Volume", Severity.LOW, RuleMode.TEST,
                Set.of(), "window.startup.hour.sumMinor >= 2156400"));

        Backtest.BacktestResult result = Backtest.run(draft, history(3600, "acme"), s -> null, 10);

        assertThat(result.hits()).isEqualTo(1);
        assertThat(result.firstHits().get(0).txId()).isEqualTo("tx-3599");
        assertThat(result.firstHits().get(0).values()).containsEntry("window.startup.hour.sumMinor", 2156400L);
    }

    @Test
    void respectsTheDraftsScopeAndCountsErrors() {
        CompiledRule scoped = compiler.compile(new RuleDefinition("s", 1, "S", Severity.LOW, RuleMode.TEST,
                Set.of("other"), "true"));
        assertThat(Backtest.run(scoped, history(100, "acme"), s -> null, 10).hits()).isZero();

        CompiledRule failing = compiler.compile(new RuleDefinition("f", 1, "F", Severity.LOW, RuleMode.TEST,
                Set.of(), "1 / (event.amountMinor - 100) > 0"));
        Backtest.BacktestResult result = Backtest.run(failing, history(100, "acme"), s -> null, 10);
        assertThat(result.errors()).isEqualTo(99);
        assertThat(result.hits()).isZero();
    }
}
