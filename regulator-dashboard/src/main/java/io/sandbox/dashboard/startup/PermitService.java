package io.sandbox.dashboard.startup;

import io.agroal.api.AgroalDataSource;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.rules.Permit;
import io.sandbox.core.rules.StartupProfile;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.rules.RuleService;
import io.sandbox.dashboard.web.FieldErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Sets permits: validated field by field, stored as a new version, audited, and the permit rules re-derived. */
@ApplicationScoped
public class PermitService {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern ASSET_TYPE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern MSP = Pattern.compile("[A-Za-z0-9.-]{1,128}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999.9999");

    /** The body of {@code PUT /startups/{name}/permit}. */
    public record PermitRequest(Integer maxCustomers, BigDecimal maxSingleValue, BigDecimal maxDailyVolume,
            String currency, List<String> allowedAssetTypes, String testWindowStart, String testWindowEnd,
            String reason, String mspId, String channel) {
    }

    private final AgroalDataSource dataSource;
    private final AuditLog audit;
    private final RuleService rules;
    private final StartupRegistry registry;

    PermitService(AgroalDataSource dataSource, AuditLog audit, RuleService rules, StartupRegistry registry) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.rules = rules;
        this.registry = registry;
    }

    /** Validates and stores the permit, then makes evaluation follow it. */
    public StartupRegistry.Startup put(String actor, String name, PermitRequest body) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("Path parameter 'name' must be a startup name (lower-case letters, "
                    + "digits and '-'), got '" + name + "'.");
        }
        if (body == null) {
            throw ProblemException.badRequest("The permit is required as the JSON body.");
        }
        FieldErrors errors = new FieldErrors();
        Permit permit = validate(errors, body);
        String reason = errors.text("reason", body.reason(), 2000);
        if (body.mspId() != null && !MSP.matcher(body.mspId()).matches()) {
            errors.add("mspId", "must be an MSP id (letters, digits, '.' and '-'), got '" + body.mspId() + "'");
        }
        if (body.channel() != null && !body.channel().equals(StartupRegistry.CHANNEL_PREFIX + name)) {
            errors.add("channel", "must be '" + StartupRegistry.CHANNEL_PREFIX + name + "' (channels are named after "
                    + "their startup), got '" + body.channel() + "'");
        }
        errors.check();
        store(actor, name, permit, reason, body);
        registry.reload();
        rules.reload();
        return registry.find(name).orElseThrow();
    }

    @Transactional
    void store(String actor, String name, Permit permit, String reason, PermitRequest body) {
        String channel = StartupRegistry.CHANNEL_PREFIX + name;
        int version;
        String msp;
        try (Connection c = dataSource.getConnection()) {
            boolean known = exists(c, "select 1 from startup where name = ?", name);
            if (!known) {
                boolean channelKnown = exists(c, "select 1 from channel_checkpoint where channel = ?", channel);
                if (!channelKnown && body.mspId() == null && body.channel() == null) {
                    throw ProblemException.notFound("Startup '" + name + "' (no channel " + channel
                            + " has been ingested; name its mspId or channel to register it)");
                }
                StartupRegistry.register(c, name, channel,
                        body.mspId() == null ? StartupRegistry.defaultMsp(name) : body.mspId());
            } else if (body.mspId() != null) {
                try (PreparedStatement update = c.prepareStatement("update startup set msp_id = ? where name = ?")) {
                    update.setString(1, body.mspId());
                    update.setString(2, name);
                    update.executeUpdate();
                }
            }
            try (PreparedStatement select = c.prepareStatement("select msp_id from startup where name = ? for update")) {
                select.setString(1, name);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    msp = rs.getString(1);
                }
            }
            if (sameTerms(permit, current(c, name))) {
                return; // the same terms again (e.g. onboarding's SUPERVISION step retried): nothing changes
            }
            try (PreparedStatement next = c.prepareStatement(
                    "select coalesce(max(version), 0) + 1 from permit where startup = ?")) {
                next.setString(1, name);
                try (ResultSet rs = next.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("insert into permit (startup, version, max_customers, "
                    + "max_single_value, max_daily_volume, currency, allowed_asset_types, test_window_start, "
                    + "test_window_end, changed_by, reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, name);
                insert.setInt(2, version);
                insert.setInt(3, permit.maxCustomers());
                insert.setBigDecimal(4, permit.maxSingleValue());
                insert.setBigDecimal(5, permit.maxDailyVolume());
                insert.setString(6, permit.currency());
                insert.setArray(7, c.createArrayOf("text", permit.allowedAssetTypes().toArray()));
                insert.setObject(8, permit.testWindowStart());
                insert.setObject(9, permit.testWindowEnd());
                insert.setString(10, actor);
                insert.setString(11, reason);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store the permit of " + name + ": " + e.getMessage(), e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version);
        details.put("maxCustomers", permit.maxCustomers());
        details.put("maxSingleValue", permit.maxSingleValue().toPlainString());
        details.put("maxDailyVolume", permit.maxDailyVolume().toPlainString());
        details.put("currency", permit.currency());
        details.put("allowedAssetTypes", permit.allowedAssetTypes());
        details.put("testWindowStart", permit.testWindowStart().toString());
        details.put("testWindowEnd", permit.testWindowEnd().toString());
        StartupProfile profile = new StartupProfile(name, channel, msp, permit, StartupRegistry.KNOWN_CHAINCODES,
                java.util.Set.of());
        details.put("rules", rules.derivePermitRules(actor, profile, version, reason));
        audit.append(actor, "permit.changed", "startup/" + name, reason, details);
    }

    /** Whether {@code b} holds the terms of {@code a} (amounts compared by value, whatever their scale). */
    static boolean sameTerms(Permit a, Permit b) {
        return b != null && a.maxCustomers() == b.maxCustomers()
                && a.maxSingleValue().compareTo(b.maxSingleValue()) == 0
                && a.maxDailyVolume().compareTo(b.maxDailyVolume()) == 0 && a.currency().equals(b.currency())
                && a.allowedAssetTypes().equals(b.allowedAssetTypes()) && a.testWindowStart().equals(b.testWindowStart())
                && a.testWindowEnd().equals(b.testWindowEnd());
    }

    /** The startup's latest permit, or {@code null}. */
    private static Permit current(Connection c, String name) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("select max_customers, max_single_value, max_daily_volume, "
                + "currency, allowed_asset_types, test_window_start, test_window_end from permit where startup = ? "
                + "order by version desc limit 1")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Permit(rs.getInt(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getString(4),
                        java.util.List.of((String[]) rs.getArray(5).getArray()),
                        rs.getObject(6, java.time.LocalDate.class), rs.getObject(7, java.time.LocalDate.class));
            }
        }
    }

    private static boolean exists(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, value);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Permit validate(FieldErrors errors, PermitRequest body) {
        Integer maxCustomers = body.maxCustomers();
        if (maxCustomers == null) {
            errors.add("maxCustomers", "is required");
        } else if (maxCustomers < 1) {
            errors.add("maxCustomers", "must be at least 1, got " + maxCustomers);
        }
        BigDecimal single = amount(errors, "maxSingleValue", body.maxSingleValue());
        BigDecimal daily = amount(errors, "maxDailyVolume", body.maxDailyVolume());
        if (single != null && daily != null && single.compareTo(daily) > 0) {
            errors.add("maxSingleValue", "must not exceed maxDailyVolume (" + daily.toPlainString() + ")");
        }
        String currency = body.currency();
        if (currency == null) {
            errors.add("currency", "is required");
        } else if (!CURRENCY.matcher(currency).matches()) {
            errors.add("currency", "must be an ISO 4217 code of three capital letters, got '" + currency + "'");
        }
        List<String> types = new ArrayList<>();
        if (body.allowedAssetTypes() == null || body.allowedAssetTypes().isEmpty()) {
            errors.add("allowedAssetTypes", "must name at least one asset type");
        } else {
            for (int i = 0; i < body.allowedAssetTypes().size(); i++) {
                String type = body.allowedAssetTypes().get(i);
                if (type == null || !ASSET_TYPE.matcher(type).matches()) {
                    errors.add("allowedAssetTypes[" + i + "]", "must be 1-64 letters, digits, '_' or '-', got '"
                            + type + "'");
                } else if (!types.contains(type)) {
                    types.add(type);
                }
            }
        }
        LocalDate start = date(errors, "testWindowStart", body.testWindowStart());
        LocalDate end = date(errors, "testWindowEnd", body.testWindowEnd());
        if (start != null && end != null && end.isBefore(start)) {
            errors.add("testWindowEnd", "must not be before testWindowStart (" + start + "), got " + end);
        }
        if (maxCustomers == null || maxCustomers < 1 || single == null || daily == null || currency == null
                || !CURRENCY.matcher(currency).matches() || types.isEmpty() || start == null || end == null
                || end.isBefore(start)) {
            return null;
        }
        return new Permit(maxCustomers, single, daily, currency, types, start, end);
    }

    private static BigDecimal amount(FieldErrors errors, String field, BigDecimal value) {
        if (value == null) {
            errors.add(field, "is required");
            return null;
        }
        if (value.signum() <= 0) {
            errors.add(field, "must be greater than 0, got " + value.toPlainString());
            return null;
        }
        if (value.stripTrailingZeros().scale() > 2) {
            errors.add(field, "must have at most 2 decimal places, got " + value.toPlainString());
            return null;
        }
        if (value.compareTo(MAX_AMOUNT) > 0) {
            errors.add(field, "must be at most " + MAX_AMOUNT.toPlainString());
            return null;
        }
        return value.stripTrailingZeros().scale() < 0 ? value.setScale(0) : value.stripTrailingZeros();
    }

    private static LocalDate date(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required");
            return null;
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            errors.add(field, "must be a date as YYYY-MM-DD, got '" + value + "'");
            return null;
        }
    }
}
