package io.sandbox.dashboard.startup;

import io.agroal.api.AgroalDataSource;
import io.sandbox.core.rules.Permit;
import io.sandbox.core.rules.StartupProfile;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The startups the dashboard knows (table {@code startup}) with their current permits, and the {@link StartupProfile}
 * of each channel as rule evaluation sees it: a snapshot reloaded after every committed change.
 */
@ApplicationScoped
public class StartupRegistry {

    void start(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(5) io.quarkus.runtime.StartupEvent e) {
        reload();
    }

    /** Channels of startups are named {@code sandbox-<startup>}. */
    public static final String CHANNEL_PREFIX = "sandbox-";
    /** Chaincodes every startup may use: the sandbox chaincode and Fabric's system chaincodes. */
    public static final Set<String> KNOWN_CHAINCODES = Set.of("sandbox", "_lifecycle", "cscc", "qscc", "lscc");

    /** A startup with its current permit (or none). */
    public record Startup(String name, String channel, String mspId, Instant registeredAt, PermitVersion permit) {
    }

    /** One version of a permit. */
    public record PermitVersion(int version, int maxCustomers, BigDecimal maxSingleValue, BigDecimal maxDailyVolume,
            String currency, List<String> allowedAssetTypes, LocalDate testWindowStart, LocalDate testWindowEnd,
            String changedBy, String reason, Instant changedAt) {

        Permit permit() {
            return new Permit(maxCustomers, maxSingleValue, maxDailyVolume, currency, allowedAssetTypes,
                    testWindowStart, testWindowEnd);
        }
    }

    private final AgroalDataSource dataSource;
    private volatile Map<String, StartupProfile> byChannel = Map.of();
    private volatile String regulatorMsp;

    StartupRegistry(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The startup a channel belongs to by name ({@code sandbox-acme} → {@code acme}), or the channel itself. */
    public static String startupOf(String channel) {
        return channel.startsWith(CHANNEL_PREFIX) ? channel.substring(CHANNEL_PREFIX.length()) : channel;
    }

    /** The devnet's MSP id convention for a startup: {@code acme-pay} → {@code AcmepayMSP}. */
    public static String defaultMsp(String startup) {
        return Character.toUpperCase(startup.charAt(0)) + startup.substring(1).replace("-", "") + "MSP";
    }

    /** The regulator's MSP, an expected endorser everywhere (known once ingestion runs). */
    public void regulatorMsp(String msp) {
        this.regulatorMsp = msp;
        reload();
    }

    /** Registers the startup of a discovered channel {@code sandbox-<name>}; other channels are left alone. */
    public void discovered(String channel) {
        if (!channel.startsWith(CHANNEL_PREFIX) || channel.length() == CHANNEL_PREFIX.length()) {
            return;
        }
        String name = startupOf(channel);
        try (Connection c = dataSource.getConnection()) {
            if (register(c, name, channel, defaultMsp(name))) {
                reload();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register startup " + name + ": " + e.getMessage(), e);
        }
    }

    /** Inserts the startup unless it exists; true if it was new. Joins the connection's transaction. */
    static boolean register(Connection c, String name, String channel, String msp) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("insert into startup (name, channel, msp_id) values (?, ?, ?) "
                + "on conflict do nothing")) {
            insert.setString(1, name);
            insert.setString(2, channel);
            insert.setString(3, msp);
            return insert.executeUpdate() > 0;
        }
    }

    /** The profile rules evaluate a channel's transactions against; channels of no startup get a bare one. */
    public StartupProfile profile(String channel) {
        StartupProfile profile = byChannel.get(channel);
        if (profile != null) {
            return profile;
        }
        return new StartupProfile(startupOf(channel), channel, "", null, KNOWN_CHAINCODES, expected(null));
    }

    /** Every startup, by name. */
    public List<Startup> all() {
        return query(null);
    }

    /** One startup. */
    public Optional<Startup> find(String name) {
        List<Startup> found = query(name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The startup's permit versions, newest first. */
    public List<PermitVersion> permits(String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(PERMIT_SELECT
                + " where startup = ? order by version desc")) {
            select.setString(1, name);
            List<PermitVersion> all = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    all.add(permit(rs, 2));
                }
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read permits: " + e.getMessage(), e);
        }
    }

    private static final String PERMIT_SELECT = "select startup, version, max_customers, max_single_value, "
            + "max_daily_volume, currency, allowed_asset_types, test_window_start, test_window_end, changed_by, reason, "
            + "changed_at from permit";

    private List<Startup> query(String name) {
        String sql = "select s.name, s.channel, s.msp_id, s.registered_at, p.version, p.max_customers, "
                + "p.max_single_value, p.max_daily_volume, p.currency, p.allowed_asset_types, p.test_window_start, "
                + "p.test_window_end, p.changed_by, p.reason, p.changed_at from startup s left join lateral ("
                + PERMIT_SELECT + " where permit.startup = s.name order by version desc limit 1) p on true"
                + (name == null ? "" : " where s.name = ?") + " order by s.name";
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement(sql)) {
            if (name != null) {
                select.setString(1, name);
            }
            List<Startup> all = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rs.getInt(5);
                    PermitVersion permit = rs.wasNull() ? null : permit(rs, 5);
                    all.add(new Startup(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), permit));
                }
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read startups: " + e.getMessage(), e);
        }
    }

    /** Reads a permit from column {@code from} (version) on. */
    private static PermitVersion permit(ResultSet rs, int from) throws SQLException {
        Array types = rs.getArray(from + 5);
        return new PermitVersion(rs.getInt(from), rs.getInt(from + 1), rs.getBigDecimal(from + 2).stripTrailingZeros(),
                rs.getBigDecimal(from + 3).stripTrailingZeros(), rs.getString(from + 4).strip(),
                types == null ? List.of() : Arrays.asList((String[]) types.getArray()),
                rs.getObject(from + 6, LocalDate.class), rs.getObject(from + 7, LocalDate.class), rs.getString(from + 8),
                rs.getString(from + 9), rs.getTimestamp(from + 10).toInstant());
    }

    /** Rebuilds the channel → profile snapshot from the database. */
    public void reload() {
        Map<String, StartupProfile> next = new HashMap<>();
        for (Startup s : all()) {
            next.put(s.channel(), new StartupProfile(s.name(), s.channel(), s.mspId(),
                    s.permit() == null ? null : s.permit().permit(), KNOWN_CHAINCODES, expected(s.mspId())));
        }
        byChannel = Map.copyOf(next);
    }

    private Set<String> expected(String msp) {
        Set<String> expected = new LinkedHashSet<>();
        if (msp != null && !msp.isBlank()) {
            expected.add(msp);
        }
        if (regulatorMsp != null) {
            expected.add(regulatorMsp);
        }
        return expected;
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
