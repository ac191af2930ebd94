package io.sandbox.dashboard.rules;

import io.agroal.api.AgroalDataSource;
import io.sandbox.core.rules.Backtest;
import io.sandbox.core.rules.CompiledRule;
import io.sandbox.core.rules.RuleDefinition;
import io.sandbox.core.rules.RuleHit;
import io.sandbox.core.rules.RuleMode;
import io.sandbox.core.rules.Severity;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.core.rules.TransactionFacts;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.startup.StartupRegistry;
import io.sandbox.dashboard.web.FieldErrors;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Runs a draft rule over a startup's stored transactions of a period: streamed from {@code ledger_transaction} with a
 * server-side cursor in ledger order into {@link Backtest#run}, which folds them into fresh windows.
 */
@ApplicationScoped
public class BacktestService {

    /** The most hits returned (the counts cover all). */
    public static final int MAX_HITS = 1000;
    private static final int FETCH = 10_000;

    private final AgroalDataSource dataSource;
    private final RuleService rules;
    private final StartupRegistry startups;

    BacktestService(AgroalDataSource dataSource, RuleService rules, StartupRegistry startups) {
        this.dataSource = dataSource;
        this.rules = rules;
        this.startups = startups;
    }

    /** Validates, compiles (400 with line and column) and runs the draft. */
    public RuleViews.BacktestResult run(RuleViews.BacktestRequest body) {
        if (body == null) {
            throw ProblemException.badRequest("The draft rule is required as the JSON body.");
        }
        FieldErrors errors = new FieldErrors();
        String expression = errors.text("expression", body.expression(), 10_000);
        String startup = errors.text("startup", body.startup(), 63);
        Severity severity = body.severity() == null ? Severity.MEDIUM
                : errors.oneOf("severity", body.severity(), Severity.class);
        Instant to = body.to() == null ? Instant.now() : body.to();
        Instant from = body.from() == null ? to.minus(Duration.ofDays(30)) : body.from();
        if (!from.isBefore(to)) {
            errors.add("from", "must be before to (" + to + ")");
        }
        int maxHits = body.maxHits() == null ? 100 : body.maxHits();
        if (maxHits < 0 || maxHits > MAX_HITS) {
            errors.add("maxHits", "must be from 0 to " + MAX_HITS + ", got " + maxHits);
        }
        errors.check();
        StartupRegistry.Startup known = startups.find(startup)
                .orElseThrow(() -> ProblemException.notFound("Startup '" + startup + "'"));
        String name = body.name() == null || body.name().isBlank() ? "draft" : body.name().strip();
        CompiledRule draft = rules.compile(new RuleDefinition("draft", 0, name, severity, RuleMode.ACTIVE,
                Set.of(startup), expression));
        return run(draft, known.channel(), startups.profile(known.channel()), from, to, maxHits);
    }

    /** Runs a compiled draft over the channel's transactions with timestamps in [from, to). */
    public RuleViews.BacktestResult run(CompiledRule draft, String channel, StartupProfile profile, Instant from,
            Instant to, int maxHits) {
        return run(dataSource, draft, channel, profile, from, to, maxHits);
    }

    /** As {@link #run(CompiledRule, String, StartupProfile, Instant, Instant, int)} on any data source (benchmarks). */
    public static RuleViews.BacktestResult run(javax.sql.DataSource dataSource, CompiledRule draft, String channel,
            StartupProfile profile, Instant from, Instant to, int maxHits) {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement("select " + Facts.COLUMNS + " from ledger_transaction "
                    + "where channel = ? and tx_timestamp >= ? and tx_timestamp < ? order by block_number, tx_index")) {
                select.setFetchSize(FETCH);
                select.setString(1, channel);
                select.setTimestamp(2, Timestamp.from(from));
                select.setTimestamp(3, Timestamp.from(to));
                try (ResultSet rs = select.executeQuery()) {
                    Backtest.BacktestResult result = Backtest.run(draft, new Rows(rs, profile.name()),
                            s -> profile, maxHits);
                    return new RuleViews.BacktestResult(profile.name(), channel, from, to, result.scanned(),
                            result.hits(), result.errors(), (System.nanoTime() - start) / 1_000_000,
                            result.firstHits().stream().map(BacktestService::hit).toList());
                }
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the history of " + channel + ": " + e.getMessage(), e);
        }
    }

    private static RuleViews.BacktestHit hit(RuleHit hit) {
        return new RuleViews.BacktestHit(hit.txId(), hit.values());
    }

    /** The result set as facts, one row ahead. */
    private static final class Rows implements Iterator<TransactionFacts> {
        private final ResultSet rs;
        private final String startup;
        private Boolean ahead;

        Rows(ResultSet rs, String startup) {
            this.rs = rs;
            this.startup = startup;
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                try {
                    ahead = rs.next();
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot read the history: " + e.getMessage(), e);
                }
            }
            return ahead;
        }

        @Override
        public TransactionFacts next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ahead = null;
            try {
                return Facts.of(rs, startup);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the history: " + e.getMessage(), e);
            }
        }
    }
}
