package io.sandbox.dashboard.rules;

import io.sandbox.core.risk.RiskInputs;
import io.sandbox.core.risk.RiskModel;
import io.sandbox.core.risk.RiskTracker;
import io.sandbox.core.rules.RuleEvaluator;
import io.sandbox.core.rules.RuleHit;
import io.sandbox.core.rules.RuleMode;
import io.sandbox.core.rules.RuleSet;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.core.rules.TransactionFacts;
import io.sandbox.core.rules.WindowState;
import io.sandbox.dashboard.alerts.AlertViews;
import io.sandbox.dashboard.alerts.HitWriter;
import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import io.sandbox.dashboard.ingest.store.RunObserver;
import io.sandbox.dashboard.risk.RiskService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Evaluates one channel's stored transactions: the live rules through one {@link RuleEvaluator}, the startup's risk
 * through one {@link RiskTracker} sharing its windows. Hits, alerts and risk snapshots are written in the ingestion
 * transaction of their blocks; new alerts and scores are handed on only after the commit. One instance per ingestion
 * session of a channel. Rules are evaluated in {@link #decoded} on the reader thread, off the store thread (or, for
 * blocks the caller did not show it there, in {@link #stored}); the windows and the tracker are only ever touched by
 * one of the two. The risk inputs are taken where the windows are, the breach counts in the store's transaction
 * (so they include the alerts just raised). {@link #warm} first replays the channel's stored recent history into the
 * windows.
 */
public final class ChannelSurveillance implements RunObserver {

    /** What happens with committed results. */
    public interface Listener {
        /** New alerts and, if recomputed, the startup's risk, after the commit. */
        void committed(List<AlertViews.Alert> alerts, String startup, RiskService.Point risk);
    }

    /** The least time between two risk snapshots of a startup (unless the run raised alerts). */
    public static final Duration RISK_INTERVAL = Duration.ofSeconds(1);
    /** How much stored history warms the windows at the start of a session. */
    public static final Duration WARM_UP = Duration.ofHours(24);

    private final String channel;
    private final Supplier<StartupProfile> profile;
    private final HitWriter writer;
    private final Listener listener;
    private final RuleEvaluator evaluator;
    private final RiskTracker tracker;
    private final List<AlertViews.Alert> pending = new ArrayList<>();
    /** Blocks evaluated on the reader thread, waiting to be stored, by number. */
    private final ConcurrentHashMap<Long, Evaluated> evaluated =
            new ConcurrentHashMap<>();
    private final String startup;
    private RiskService.Point pendingRisk;
    // the evaluating thread's state (the reader thread, or the store thread for blocks it was not shown)
    private Instant lastRisk = Instant.EPOCH;
    private StartupProfile current;

    /** One block's evaluation: hits per transaction and, if due, the risk inputs after it (breaches still empty). */
    private record Evaluated(List<TxHits> hits, RiskInputs risk) {
    }

    private record TxHits(String txId, List<RuleHit> hits) {
    }

    /**
     * @param rules   the live rule set (read per transaction)
     * @param profile the channel's startup profile (read per run, so permit changes apply at once)
     */
    public ChannelSurveillance(String channel, Supplier<RuleSet> rules, Supplier<StartupProfile> profile,
            HitWriter writer, Listener listener) {
        this.channel = channel;
        this.profile = profile;
        this.writer = writer;
        this.listener = listener;
        this.current = profile.get();
        this.startup = current.name();
        WindowState windows = new WindowState();
        this.evaluator = new RuleEvaluator(rules, windows);
        this.tracker = new RiskTracker(current, windows);
    }

    /**
     * Folds the channel's stored transactions of the last {@link #WARM_UP} (and every earlier customer onboarding,
     * for the customer count) into the windows, in ledger order, without evaluating rules. Returns how many.
     */
    public long warm(DataSource dataSource) throws SQLException {
        long n = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement select = c.prepareStatement("select " + Facts.COLUMNS + " from ledger_transaction "
                    + "where channel = ? and (tx_timestamp > ? or reporting_events @> '[{\"type\":\"CUSTOMER_ONBOARDED\"}]')"
                    + " order by block_number, tx_index")) {
                select.setFetchSize(5000);
                select.setString(1, channel);
                select.setTimestamp(2, java.sql.Timestamp.from(Instant.now().minus(WARM_UP)));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        TransactionFacts facts = Facts.of(rs, current.name());
                        evaluator.windows().fold(facts, current);
                        tracker.fold(facts);
                        n++;
                    }
                }
            } finally {
                c.rollback();
            }
        }
        return n;
    }

    @Override
    public void decoded(DecodedBlock block) {
        evaluated.put(block.number(), evaluate(block, Instant.now()));
    }

    /** Folds and evaluates a block's transactions; computes the risk inputs if due (or the block raised an alert). */
    private Evaluated evaluate(DecodedBlock block, Instant now) {
        StartupProfile latest = profile.get();
        if (latest != current) {
            current = latest;
            tracker.update(latest);
        }
        List<TxHits> all = new ArrayList<>();
        boolean active = false;
        for (DecodedTransaction tx : block.transactions()) {
            TransactionFacts facts = Facts.of(channel, startup, block.number(), tx, now);
            List<RuleHit> hits = evaluator.evaluate(facts, current);
            tracker.fold(facts);
            if (!hits.isEmpty()) {
                all.add(new TxHits(facts.txId(), hits));
                active |= hits.stream().anyMatch(h -> h.mode() == RuleMode.ACTIVE);
            }
        }
        RiskInputs risk = null;
        if (active || !now.isBefore(lastRisk.plus(RISK_INTERVAL))) {
            risk = tracker.inputs(now, Map.of());
            lastRisk = now;
        }
        return new Evaluated(all, risk);
    }

    @Override
    public void stored(Connection connection, List<DecodedBlock> accepted) throws SQLException {
        RiskInputs risk = null;
        Instant now = Instant.now();
        for (DecodedBlock block : accepted) {
            Evaluated e = evaluated.remove(block.number());
            if (e == null) {
                e = evaluate(block, now);
            }
            for (TxHits tx : e.hits()) {
                pending.addAll(writer.write(connection, startup, channel, block.number(), tx.txId(), tx.hits()));
            }
            if (e.risk() != null) {
                risk = e.risk();
            }
        }
        evaluated.keySet().removeIf(n -> n <= accepted.get(accepted.size() - 1).number());
        if (risk != null) {
            RiskInputs withBreaches = new RiskInputs(RiskService.breaches(connection, startup), risk.hourCount(),
                    risk.hourlyBaseline(), risk.baselineHours(), risk.invalidRatio(), risk.counterpartyHhi(),
                    risk.utilisation());
            pendingRisk = RiskService.insert(connection, startup, now, RiskModel.score(withBreaches));
        }
    }

    @Override
    public void committed() {
        List<AlertViews.Alert> alerts = List.copyOf(pending);
        RiskService.Point risk = pendingRisk;
        pending.clear();
        pendingRisk = null;
        if (alerts.isEmpty() && risk == null) {
            return;
        }
        try {
            listener.committed(alerts, startup, risk);
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(ChannelSurveillance.class)
                    .warnf("alerts of %s were stored but not pushed live: %s", channel, e.getMessage());
        }
    }

    /** Runtime evaluation errors so far (not hits). */
    public long errors() {
        return evaluator.errors();
    }
}
