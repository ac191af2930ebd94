package io.sandbox.core.rules;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** A backtest of one draft rule over 1,000,000 generated transactions (generated while streaming), in seconds. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BacktestBenchmark {

    private CompiledRule draft;

    @Setup
    public void setUp() {
        draft = new RuleCompiler().compile(new RuleDefinition("draft", 1, "Draft", Severity.HIGH, RuleMode.TEST,
                java.util.Set.of(), "event.type == 'TRANSFER' && window.customer.hour.sum > 20000.0"));
    }

    @Benchmark
    public Backtest.BacktestResult millionTransactions() {
        return Backtest.run(draft, BenchData.history(1_000_000), s -> BenchData.PROFILE, 100);
    }
}
