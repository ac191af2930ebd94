package io.sandbox.dashboard.rules;

import io.agroal.api.AgroalDataSource;
import io.sandbox.dashboard.alerts.AlertViews;
import io.sandbox.dashboard.alerts.AlertsConfig;
import io.sandbox.dashboard.alerts.HitWriter;
import io.sandbox.dashboard.alerts.WebhookSender;
import io.sandbox.dashboard.ingest.store.RunObserver;
import io.sandbox.dashboard.live.LiveFeed;
import io.sandbox.dashboard.risk.RiskService;
import io.sandbox.dashboard.startup.StartupRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Opens the {@link ChannelSurveillance} of each ingestion session and hands its committed results on. */
@ApplicationScoped
public class Surveillance {

    private static final Logger LOG = Logger.getLogger(Surveillance.class);

    private final RuleService rules;
    private final StartupRegistry startups;
    private final RiskService risk;
    private final LiveFeed feed;
    private final WebhookSender webhook;
    private final AgroalDataSource dataSource;
    private final boolean webhookOn;

    Surveillance(RuleService rules, StartupRegistry startups, RiskService risk, LiveFeed feed, WebhookSender webhook,
            AgroalDataSource dataSource, AlertsConfig config) {
        this.rules = rules;
        this.startups = startups;
        this.risk = risk;
        this.feed = feed;
        this.webhook = webhook;
        this.dataSource = dataSource;
        this.webhookOn = config.webhook().enabled();
    }

    /** A new observer for a channel's ingestion session, its windows warmed from the stored history. */
    public RunObserver open(String channel) {
        startups.discovered(channel);
        ChannelSurveillance surveillance = new ChannelSurveillance(channel, rules::live, () -> startups.profile(channel),
                new HitWriter(webhookOn), this::committed);
        try {
            long warmed = surveillance.warm(dataSource);
            LOG.infof("rules for %s: windows warmed with %d stored transactions", channel, warmed);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot warm the rule windows of " + channel + ": " + e.getMessage(), e);
        }
        return surveillance;
    }

    private void committed(List<AlertViews.Alert> alerts, String startup, RiskService.Point point) {
        for (AlertViews.Alert alert : alerts) {
            feed.publish(new LiveFeed.Event("alert", "alert-" + alert.id(), alert.channel(), alert));
        }
        if (!alerts.isEmpty() && webhookOn) {
            webhook.wake();
        }
        if (point != null) {
            risk.committed(startup, point);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("startup", startup);
            data.put("score", point.score());
            data.put("components", point.components());
            data.put("computedAt", point.computedAt());
            feed.publish(new LiveFeed.Event("risk", null, null, data));
        }
    }
}
