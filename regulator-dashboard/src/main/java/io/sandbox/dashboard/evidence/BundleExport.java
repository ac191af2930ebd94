package io.sandbox.dashboard.evidence;

import io.sandbox.core.evidence.BundleFormat;
import io.sandbox.core.evidence.BundleWriter;
import io.sandbox.core.evidence.Json;
import io.sandbox.core.evidence.Manifest;
import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.core.evidence.TransactionRecord;
import io.sandbox.core.fabric.block.BlockHashes;
import io.sandbox.core.fabric.block.ChainAnchor;
import io.sandbox.core.fabric.block.ChainVerification;
import io.sandbox.core.fabric.block.ChainVerifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Writes one evidence bundle onto a stream: the anchor header and the blocks of the range as the block source
 * delivers them (their hash chain verified on the way), {@code transactions.csv} and {@code report.json} from the
 * database with server-side cursors (statistics collected on the way), {@code report.pdf}, and the signed manifest
 * last. Memory stays bounded whatever the number of transactions.
 */
public final class BundleExport {

    private static final int FETCH = 2000;
    private static final int PDF_ALERTS = 60;

    private final DataSource dataSource;
    private final BlockSource blocks;
    private final ManifestSigner signer;

    public BundleExport(DataSource dataSource, BlockSource blocks, ManifestSigner signer) {
        this.dataSource = dataSource;
        this.blocks = blocks;
        this.signer = signer;
    }

    /** Writes the bundle of {@code scope} to {@code out} (not closed) and returns the signed manifest. */
    public BundleWriter.Finished write(ExportScope scope, OutputStream out) throws IOException {
        BundleWriter zip = new BundleWriter(out);
        ChainOutcome chain = writeBlocks(scope, zip);
        Report report = new Report(scope, chain);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                c.setReadOnly(true);
                writeCsv(c, scope, zip, report.stats);
                writeJson(c, scope, zip, report);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the transactions of " + scope.channel() + ": " + e.getMessage(), e);
        }
        try (OutputStream pdf = zip.entry(BundleFormat.REPORT_PDF)) {
            ReportPdf.write(report, pdf);
        }
        Manifest manifest = new Manifest(scope.startup(), scope.channel(), scope.from().toString(), scope.to().toString(),
                scope.createdAt().toString(), scope.actor(), scope.firstBlock(), scope.lastBlock(),
                scope.firstBlock() == null || scope.firstBlock() == 0 ? null : scope.firstBlock() - 1,
                chain.lastHeaderHash, report.stats.total, List.of(), null);
        return zip.finish(manifest, signer);
    }

    /** The platform-side check of the blocks written. */
    static final class ChainOutcome {
        long blocks;
        String anchorHash;
        String lastHeaderHash;
        String failure;

        String summary() {
            if (failure != null) {
                return "FAILED: " + failure;
            }
            return blocks == 0 ? "no blocks in the period" : "VERIFIED: " + blocks + " blocks";
        }
    }

    private ChainOutcome writeBlocks(ExportScope scope, BundleWriter zip) throws IOException {
        ChainOutcome outcome = new ChainOutcome();
        if (scope.firstBlock() == null) {
            return outcome;
        }
        long first = scope.firstBlock();
        long start = first == 0 ? 0 : first - 1;
        ChainAnchor[] previous = {null};
        blocks.blocks(scope.channel(), start, scope.lastBlock(), block -> {
            long number = block.getHeader().getNumber();
            if (first > 0 && number == first - 1 && previous[0] == null && outcome.blocks == 0) {
                try (OutputStream out = zip.entry(BundleFormat.ANCHOR_HEADER)) {
                    block.getHeader().writeTo(out);
                }
                previous[0] = ChainAnchor.of(block.getHeader());
                outcome.anchorHash = BlockHashes.hex(previous[0].headerHash());
                return;
            }
            if (outcome.failure == null) {
                ChainVerification check = ChainVerifier.verify(previous[0], List.of(block));
                if (!check.valid()) {
                    outcome.failure = check.failure().orElseThrow().message();
                }
            }
            try (OutputStream out = zip.entry(BundleFormat.blockPath(number))) {
                block.writeTo(out);
            }
            previous[0] = ChainAnchor.of(block.getHeader());
            outcome.blocks++;
            outcome.lastHeaderHash = BlockHashes.hex(previous[0].headerHash());
        });
        return outcome;
    }

    private static PreparedStatement transactions(Connection c, ExportScope scope) throws SQLException {
        PreparedStatement s = c.prepareStatement("""
                select block_number, tx_index, tx_id, tx_timestamp, header_type, validation_code,
                       reporting_events::text
                from ledger_transaction where channel = ? and block_number between ? and ?
                order by block_number, tx_index""");
        s.setFetchSize(FETCH);
        s.setString(1, scope.channel());
        s.setLong(2, scope.firstBlock() == null ? 0 : scope.firstBlock());
        s.setLong(3, scope.lastBlock() == null ? -1 : scope.lastBlock());
        return s;
    }

    private static TransactionRecord record(ResultSet r) throws SQLException {
        OffsetDateTime at = r.getObject(4, OffsetDateTime.class);
        Map<String, String> event = null;
        String events = r.getString(7);
        if (events != null && Json.parse(events) instanceof List<?> list && !list.isEmpty()
                && list.get(0) instanceof Map<?, ?> map) {
            event = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                event.put((String) e.getKey(), e.getValue() instanceof String s ? s : Json.write(e.getValue()));
            }
        }
        return new TransactionRecord(r.getLong(1), r.getInt(2), r.getString(3),
                at == null ? "" : TransactionRecord.timestamp(at.toInstant()), r.getString(5), r.getString(6), event);
    }

    private static void writeCsv(Connection c, ExportScope scope, BundleWriter zip, Stats stats)
            throws IOException, SQLException {
        try (OutputStream entry = zip.entry(BundleFormat.TRANSACTIONS_CSV);
                Writer csv = new BufferedWriter(new OutputStreamWriter(entry, StandardCharsets.UTF_8), 1 << 16);
                PreparedStatement s = transactions(c, scope); ResultSet r = s.executeQuery()) {
            csv.write(BundleFormat.csvHeader());
            while (r.next()) {
                TransactionRecord tx = record(r);
                OffsetDateTime at = r.getObject(4, OffsetDateTime.class);
                stats.add(tx, at != null && !at.toInstant().isBefore(scope.from()) && at.toInstant().isBefore(scope.to()));
                csv.write(tx.csvLine());
            }
        }
    }

    private static void writeJson(Connection c, ExportScope scope, BundleWriter zip, Report report)
            throws IOException, SQLException {
        try (OutputStream entry = zip.entry(BundleFormat.REPORT_JSON);
                Writer json = new BufferedWriter(new OutputStreamWriter(entry, StandardCharsets.UTF_8), 1 << 16)) {
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("format", BundleFormat.FORMAT);
            head.put("startup", report.startupJson());
            head.put("period", Map.of("from", scope.from().toString(), "to", scope.to().toString()));
            head.put("definitions", Map.of(
                    "period", "transactions whose channel-header timestamp falls in [from, to)",
                    "ledgerExtract", "every block from the first to the last block holding a transaction of the period;"
                            + " 'transactions' lists every transaction of those blocks, in block order",
                    "transactionFields", new ArrayList<Object>(BundleFormat.JSON_FIELDS),
                    "csvColumns", new ArrayList<Object>(BundleFormat.CSV_COLUMNS)));
            Map<String, Object> ledger = new LinkedHashMap<>();
            ledger.put("channel", scope.channel());
            ledger.put("firstBlock", scope.firstBlock());
            ledger.put("lastBlock", scope.lastBlock());
            head.put("ledger", ledger);
            String opening = Json.write(head);
            json.write(opening, 0, opening.length() - 1);
            json.write(",\"transactions\":[");
            StringBuilder row = new StringBuilder(512);
            boolean first = true;
            try (PreparedStatement s = transactions(c, scope); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    row.setLength(0);
                    if (!first) {
                        row.append(',');
                    }
                    first = false;
                    record(r).writeJson(row);
                    json.append(row);
                }
            }
            json.write("],\"alerts\":[");
            writeAlerts(c, scope, json, report);
            json.write("],\"summary\":");
            report.risk = risk(c, scope);
            report.permit = permit(c, scope);
            json.write(Json.write(report.summaryJson()));
            json.write("}");
        }
    }

    private static void writeAlerts(Connection c, ExportScope scope, Writer json, Report report)
            throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement("""
                select a.id, a.kind, a.severity, a.rule_id, a.rule_version, a.title, a.detail, a.tx_ids,
                       a.trigger_values::text, a.status, a.raised_at, a.status_changed_at,
                       (select coalesce(json_agg(json_build_object('from', t.from_status, 'to', t.to_status,
                                'comment', t.comment, 'by', t.changed_by, 'at', t.changed_at)
                                order by t.changed_at, t.id), '[]'::json)
                        from alert_transition t where t.alert_id = a.id)::text
                from alert a where (a.startup = ? or a.channel = ?) and a.raised_at >= ? and a.raised_at < ?
                order by a.raised_at, a.id""")) {
            s.setFetchSize(FETCH);
            s.setString(1, scope.startup());
            s.setString(2, scope.channel());
            s.setObject(3, OffsetDateTime.ofInstant(scope.from(), ZoneOffset.UTC));
            s.setObject(4, OffsetDateTime.ofInstant(scope.to(), ZoneOffset.UTC));
            boolean first = true;
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, Object> alert = new LinkedHashMap<>();
                    alert.put("id", r.getLong(1));
                    alert.put("kind", r.getString(2));
                    alert.put("severity", r.getString(3));
                    alert.put("ruleId", r.getString(4));
                    alert.put("ruleVersion", r.getObject(5) == null ? null : (long) r.getInt(5));
                    alert.put("title", r.getString(6));
                    alert.put("detail", r.getString(7));
                    Array txIds = r.getArray(8);
                    List<Object> ids = new ArrayList<>();
                    if (txIds != null) {
                        for (Object id : (Object[]) txIds.getArray()) {
                            ids.add(String.valueOf(id));
                        }
                    }
                    alert.put("txIds", ids);
                    alert.put("triggerValues", r.getString(9) == null ? null : Json.parse(r.getString(9)));
                    alert.put("status", r.getString(10));
                    alert.put("raisedAt", r.getObject(11, OffsetDateTime.class).toInstant().toString());
                    OffsetDateTime changed = r.getObject(12, OffsetDateTime.class);
                    alert.put("statusChangedAt", changed == null ? null : changed.toInstant().toString());
                    Object transitions = Json.parse(r.getString(13));
                    alert.put("transitions", transitions);
                    if (!first) {
                        json.write(',');
                    }
                    first = false;
                    json.write(Json.write(alert));
                    report.alert(alert, transitions instanceof List<?> l ? l.size() : 0, PDF_ALERTS);
                }
            }
        }
    }

    private static Map<String, Object> risk(Connection c, ExportScope scope) throws SQLException {
        Map<String, Object> risk = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                select count(*), min(score), max(score), round(avg(score), 2) from risk_snapshot
                where startup = ? and computed_at >= ? and computed_at < ?""")) {
            s.setString(1, scope.startup());
            s.setObject(2, OffsetDateTime.ofInstant(scope.from(), ZoneOffset.UTC));
            s.setObject(3, OffsetDateTime.ofInstant(scope.to(), ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                risk.put("snapshots", r.getLong(1));
                risk.put("min", r.getBigDecimal(2));
                risk.put("max", r.getBigDecimal(3));
                risk.put("average", r.getBigDecimal(4));
            }
        }
        try (PreparedStatement s = c.prepareStatement("""
                select score, computed_at, components::text from risk_snapshot
                where startup = ? and computed_at >= ? and computed_at < ? order by computed_at desc, id desc limit 1""")) {
            s.setString(1, scope.startup());
            s.setObject(2, OffsetDateTime.ofInstant(scope.from(), ZoneOffset.UTC));
            s.setObject(3, OffsetDateTime.ofInstant(scope.to(), ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    risk.put("last", r.getBigDecimal(1));
                    risk.put("lastAt", r.getObject(2, OffsetDateTime.class).toInstant().toString());
                    risk.put("lastComponents", Json.parse(r.getString(3)));
                } else {
                    risk.put("last", null);
                }
            }
        }
        return risk;
    }

    private static Map<String, Object> permit(Connection c, ExportScope scope) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                select version, max_customers, max_single_value, max_daily_volume, currency, allowed_asset_types,
                       test_window_start, test_window_end, changed_by, changed_at
                from permit where startup = ? and changed_at < ? order by version desc limit 1""")) {
            s.setString(1, scope.startup());
            s.setObject(2, OffsetDateTime.ofInstant(scope.to(), ZoneOffset.UTC));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                Map<String, Object> permit = new LinkedHashMap<>();
                permit.put("version", (long) r.getInt(1));
                permit.put("maxCustomers", (long) r.getInt(2));
                permit.put("maxSingleValue", r.getBigDecimal(3));
                permit.put("maxDailyVolume", r.getBigDecimal(4));
                permit.put("currency", r.getString(5));
                List<Object> types = new ArrayList<>();
                for (Object t : (Object[]) r.getArray(6).getArray()) {
                    types.add(String.valueOf(t));
                }
                permit.put("allowedAssetTypes", types);
                permit.put("testWindowStart", r.getString(7));
                permit.put("testWindowEnd", r.getString(8));
                permit.put("changedBy", r.getString(9));
                permit.put("changedAt", r.getObject(10, OffsetDateTime.class).toInstant().toString());
                return permit;
            }
        }
    }

    /** Transaction statistics, collected one row at a time. */
    static final class Stats {
        long total;
        long inPeriod;
        final Map<String, Long> byValidationCode = new TreeMap<>();
        final Map<String, Long> byEventType = new TreeMap<>();
        final Map<String, BigDecimal> validVolumeByCurrency = new TreeMap<>();

        void add(TransactionRecord tx, boolean period) {
            total++;
            if (period) {
                inPeriod++;
            }
            byValidationCode.merge(tx.validationCode().isEmpty() ? "UNKNOWN" : tx.validationCode(), 1L, Long::sum);
            String type = tx.event() == null ? "(no reporting event)" : tx.event().getOrDefault("type", "(no type)");
            byEventType.merge(type, 1L, Long::sum);
            if ("VALID".equals(tx.validationCode()) && tx.event() != null && tx.event().get("amount") != null
                    && tx.event().get("currency") != null) {
                try {
                    validVolumeByCurrency.merge(tx.event().get("currency"), new BigDecimal(tx.event().get("amount")),
                            BigDecimal::add);
                } catch (NumberFormatException e) {
                    // not a schema amount: counted, not summed
                }
            }
        }
    }

    /** Everything the summary and the PDF say. */
    static final class Report {
        final ExportScope scope;
        final ChainOutcome chain;
        final Stats stats = new Stats();
        final List<Map<String, Object>> alerts = new ArrayList<>();
        final Map<String, Long> alertsByStatus = new TreeMap<>();
        final Map<String, Long> alertsBySeverity = new TreeMap<>();
        long alertCount;
        long transitions;
        Map<String, Object> risk = new LinkedHashMap<>();
        Map<String, Object> permit;

        Report(ExportScope scope, ChainOutcome chain) {
            this.scope = scope;
            this.chain = chain;
        }

        void alert(Map<String, Object> alert, int transitionCount, int keep) {
            alertCount++;
            transitions += transitionCount;
            alertsByStatus.merge(String.valueOf(alert.get("status")), 1L, Long::sum);
            alertsBySeverity.merge(String.valueOf(alert.get("severity")), 1L, Long::sum);
            if (alerts.size() < keep) {
                alerts.add(alert);
            }
        }

        Map<String, Object> startupJson() {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", scope.startup());
            s.put("displayName", scope.displayName());
            s.put("mspId", scope.mspId());
            s.put("channel", scope.channel());
            return s;
        }

        Map<String, Object> summaryJson() {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("transactions", stats.total);
            summary.put("transactionsInPeriod", stats.inPeriod);
            summary.put("byValidationCode", new LinkedHashMap<String, Object>(stats.byValidationCode));
            summary.put("byEventType", new LinkedHashMap<String, Object>(stats.byEventType));
            summary.put("validVolumeByCurrency", new LinkedHashMap<String, Object>(stats.validVolumeByCurrency));
            Map<String, Object> alertSummary = new LinkedHashMap<>();
            alertSummary.put("count", alertCount);
            alertSummary.put("byStatus", new LinkedHashMap<String, Object>(alertsByStatus));
            alertSummary.put("bySeverity", new LinkedHashMap<String, Object>(alertsBySeverity));
            alertSummary.put("transitions", transitions);
            summary.put("alerts", alertSummary);
            summary.put("risk", risk);
            summary.put("permit", permit);
            Map<String, Object> chainJson = new LinkedHashMap<>();
            chainJson.put("result", chain.failure == null ? "VERIFIED" : "FAILED");
            chainJson.put("failure", chain.failure);
            chainJson.put("blocks", chain.blocks);
            chainJson.put("anchorHeaderHash", chain.anchorHash);
            chainJson.put("lastHeaderHash", chain.lastHeaderHash);
            summary.put("chainVerification", chainJson);
            summary.put("generatedAt", scope.createdAt().toString());
            summary.put("generatedBy", scope.actor());
            return summary;
        }
    }
}
