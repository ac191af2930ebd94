package io.sandbox.core.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Evaluates the current rules over one stream of transactions (typically one startup's channel), keeping the
 * stream's {@link WindowState}.
 *
 * <p>{@link #evaluate} first folds the transaction into the windows (so window aggregates include it), then
 * evaluates every rule whose scope includes the startup and whose mode is not {@link RuleMode#DISABLED}. The rule
 * set is read from the supplier on every call, so a new snapshot takes effect on the next transaction. A rule that
 * fails at run time (a missing key, a division by zero, an overflow) does not match; the failure is counted in
 * {@link #errors()} and evaluation goes on.
 *
 * <p>Not thread-safe: one instance per stream, used by one thread at a time.
 */
public final class RuleEvaluator {

    private final Supplier<RuleSet> rules;
    private final WindowState windows;
    private StartupProfile lastProfile;
    private RuleModel.Profile lastProfileValues = RuleModel.Profile.of(null);
    private long errors;

    /** An evaluator with fresh windows. */
    public RuleEvaluator(Supplier<RuleSet> rules) {
        this(rules, new WindowState());
    }

    /** An evaluator that folds into the given windows (e.g. shared with a {@code RiskTracker}). */
    public RuleEvaluator(Supplier<RuleSet> rules, WindowState windows) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.windows = Objects.requireNonNull(windows, "windows");
    }

    /**
     * Folds the transaction into the windows and evaluates the applicable rules.
     *
     * @param startup the startup's profile; {@code null} is treated as a startup with no permit, no known
     *                chaincodes and no expected endorsers
     * @return the hits, in rule order; TEST rules' hits have mode TEST
     */
    public List<RuleHit> evaluate(TransactionFacts tx, StartupProfile startup) {
        windows.fold(tx, startup);
        return evaluateOnly(rules.get().rules(), tx, startup, false);
    }

    /** Evaluates the given rules without folding; {@code ignoreMode} evaluates DISABLED rules too (backtests). */
    List<RuleHit> evaluateOnly(List<CompiledRule> candidates, TransactionFacts tx, StartupProfile startup,
            boolean ignoreMode) {
        ModelValues vars = null;
        List<RuleHit> hits = List.of();
        for (CompiledRule rule : candidates) {
            RuleDefinition d = rule.definition();
            if ((!ignoreMode && d.mode() == RuleMode.DISABLED) || !rule.appliesTo(tx.startup())) {
                continue;
            }
            if (vars == null) {
                vars = new ModelValues(tx, profile(startup), windows);
            }
            boolean matched;
            try {
                matched = rule.matches(vars);
            } catch (Exception e) {
                errors++;
                continue;
            }
            if (matched) {
                if (hits.isEmpty()) {
                    hits = new ArrayList<>(2);
                }
                hits.add(rule.hit(tx.txId(), vars));
            }
        }
        return hits;
    }

    private RuleModel.Profile profile(StartupProfile startup) {
        if (startup != lastProfile) {
            lastProfile = startup;
            lastProfileValues = RuleModel.Profile.of(startup);
        }
        return lastProfileValues;
    }

    /** Run-time evaluation failures so far (each one a rule that did not match because it failed). */
    public long errors() {
        return errors;
    }

    /** The windows this evaluator folds into. */
    public WindowState windows() {
        return windows;
    }
}
