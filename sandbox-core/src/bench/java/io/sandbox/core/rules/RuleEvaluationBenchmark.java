package io.sandbox.core.rules;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of {@link RuleEvaluator#evaluate} per transaction: folding into the windows, building the model's values
 * and evaluating the rules. With {@code rules=50}, ns per rule per transaction = score / 50; {@code rules=0} is the
 * fold alone and {@code rules=1} adds the values' construction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleEvaluationBenchmark {

    @Param({"0", "1", "50"})
    public int rules;

    private RuleEvaluator evaluator;
    private TransactionFacts[] stream;
    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        List<CompiledRule> all = BenchData.fiftyRules();
        RuleSet set = RuleSet.of(all.subList(all.size() - rules, all.size()));
        evaluator = new RuleEvaluator(() -> set);
        stream = new TransactionFacts[1 << 16];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = BenchData.tx(i);
        }
        // warm windows: a day of history before the measured stream
        for (long k = 0; k < 400_000; k++) {
            evaluator.windows().fold(BenchData.tx(k), BenchData.PROFILE);
        }
    }

    @Benchmark
    public List<RuleHit> evaluate() {
        long k = next++;
        TransactionFacts base = stream[(int) (k & (stream.length - 1))];
        // keep event time moving forward, as on a live channel
        TransactionFacts tx = new TransactionFacts(base.channel(), base.startup(), base.blockNumber(), base.txIndex(),
                base.txId(), BenchData.T0.plusMillis(100_000_000L + 250 * k), base.headerType(), base.creatorMsp(),
                base.endorserMsps(), base.chaincode(), base.function(), base.validationCode(), base.event());
        return evaluator.evaluate(tx, BenchData.PROFILE);
    }
}
