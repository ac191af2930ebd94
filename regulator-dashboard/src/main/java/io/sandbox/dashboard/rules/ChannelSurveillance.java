package io.sandbox.dashboard.rules;

import io.sandbox.core.risk.RiskModel;
import io.sandbox.core.risk.RiskScore;
import io.sandbox.core.risk.RiskTracker;
import io.sandbox.core.rules.RuleEvaluator;
import io.sandbox.core.rules.RuleHit;
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
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Evaluates one channel's stored transactions: the live rules through one {@link RuleEvaluator}, the startup's risk
 * through one {@link RiskTracker} sharing its windows. Hits, alerts and risk snapshots are written in the ingestion
 * transaction of their blocks; new alerts and scores are handed on only after the commit. One instance per ingestion
 * session of a channel, used by its store thread only; {@link #warm} first replays the channel's stored recent history
 * into the windows.
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
    private RiskService.Point pendingRisk;
    private Instant lastRisk = Instant.EPOCH;
    private StartupProfile current;

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
    public void stored(Connection connection, List<DecodedBlock> accepted) throws SQLException {
        StartupProfile now = profile.get();
        if (now != current) {
            current = now;
            tracker.update(now);
        }
        boolean alerted = false;
        Instant fallback = Instant.now();
        for (DecodedBlock block : accepted) {
            for (DecodedTransaction tx : block.transactions()) {
                TransactionFacts facts = Facts.of(channel, current.name(), block.number(), tx, fallback);
                List<RuleHit> hits = evaluator.evaluate(facts, current);
                tracker.fold(facts);
                if (!hits.isEmpty()) {
                    List<AlertViews.Alert> raised = writer.write(connection, current.name(), channel, block.number(),
                            facts.txId(), hits);
                    alerted |= !raised.isEmpty();
                    pending.addAll(raised);
                }
            }
        }
        Instant at = Instant.now();
        if (alerted || !at.isBefore(lastRisk.plus(RISK_INTERVAL))) {
            RiskScore score = RiskModel.score(tracker.inputs(at, RiskService.breaches(connection, current.name())));
            pendingRisk = RiskService.insert(connection, current.name(), at, score);
            lastRisk = at;
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
            listener.committed(alerts, current.name(), risk);
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
