package io.sandbox.core.rules;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs a draft rule over stored history to see what it would have flagged. The history is streamed in order into a
 * fresh {@link WindowState} (so window aggregates are as they were at each transaction), and only the draft is
 * evaluated, whatever its mode. Memory is bounded by the windows and {@code maxHits}, not by the history's length.
 */
public final class Backtest {

    /**
     * What a backtest found.
     *
     * @param scanned   transactions read
     * @param hits      transactions the draft matched
     * @param firstHits the first {@code maxHits} of them
     * @param errors    evaluations that failed at run time (not counted as hits)
     */
    public record BacktestResult(long scanned, long hits, List<RuleHit> firstHits, long errors) {

        public BacktestResult {
            firstHits = List.copyOf(firstHits);
        }
    }

    private Backtest() {
    }

    /**
     * Runs {@code draft} over {@code history}.
     *
     * @param history  transactions in event order (e.g. a startup's, over a period)
     * @param startups the profile of a startup by name ({@code null} allowed for an unknown startup)
     * @param maxHits  how many hits to keep (counting goes on past it)
     */
    public static BacktestResult run(CompiledRule draft, Iterator<TransactionFacts> history,
            Function<String, StartupProfile> startups, int maxHits) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(startups, "startups");
        if (maxHits < 0) {
            throw new IllegalArgumentException("maxHits must not be negative");
        }
        RuleEvaluator evaluator = new RuleEvaluator(RuleSet::empty);
        WindowState windows = evaluator.windows();
        List<CompiledRule> only = List.of(draft);
        List<RuleHit> first = new ArrayList<>();
        long scanned = 0;
        long hits = 0;
        String lastStartup = null;
        StartupProfile profile = null;
        while (history.hasNext()) {
            TransactionFacts tx = history.next();
            scanned++;
            if (!tx.startup().equals(lastStartup)) {
                lastStartup = tx.startup();
                profile = startups.apply(lastStartup);
            }
            windows.fold(tx, profile);
            List<RuleHit> found = evaluator.evaluateOnly(only, tx, profile, true);
            if (!found.isEmpty()) {
                hits++;
                if (first.size() < maxHits) {
                    first.add(found.get(0));
                }
            }
        }
        return new BacktestResult(scanned, hits, first, evaluator.errors());
    }
}
