package io.sandbox.core.evidence;

import java.util.List;

/**
 * The evidence bundle's layout ({@code sandbox.evidence/1}), shared by the dashboard that writes bundles and the
 * verifier that checks them. See {@code docs/evidence.md}.
 */
public final class BundleFormat {

    /** The format id in the manifest. */
    public static final String FORMAT = "sandbox.evidence/1";
    /** The signed list of files; always the last zip entry. */
    public static final String MANIFEST = "manifest.json";
    /** The report for people. */
    public static final String REPORT_PDF = "report.pdf";
    /** Every transaction of the ledger extract, one row each. */
    public static final String TRANSACTIONS_CSV = "transactions.csv";
    /** The same transactions and the report's figures, for tools. */
    public static final String REPORT_JSON = "report.json";
    /** The header (BlockHeader protobuf) of the block before the first block of the extract. */
    public static final String ANCHOR_HEADER = "ledger/anchor-header";
    /** Folder of the extract's blocks: the Block protobuf bytes as the peer delivered them. */
    public static final String BLOCKS_FOLDER = "ledger/blocks/";
    /** The manifest's signature algorithm. */
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    /** The reporting event fields that have a CSV column, in {@code sandbox.reporting/1} order. */
    public static final List<String> CSV_EVENT_FIELDS = List.of("type", "amount", "currency", "assetType", "assetId",
            "paymentId", "from", "to", "customerRef", "jurisdiction", "riskTier");

    /** The columns of {@code transactions.csv}, its header line. */
    public static final List<String> CSV_COLUMNS = List.of("block_number", "tx_index", "tx_id", "timestamp",
            "header_type", "validation_code", "event_type", "amount", "currency", "asset_type", "asset_id",
            "payment_id", "from", "to", "customer_ref", "jurisdiction", "risk_tier");

    /** The members of each object of {@code report.json}'s {@code transactions} array. */
    public static final List<String> JSON_FIELDS = List.of("blockNumber", "txIndex", "txId", "timestamp", "headerType",
            "validationCode", "event");

    private BundleFormat() {
    }

    /** The zip path of block {@code number}: {@code ledger/blocks/<number>.block}. */
    public static String blockPath(long number) {
        return BLOCKS_FOLDER + Long.toUnsignedString(number) + ".block";
    }

    /** The CSV header line. */
    public static String csvHeader() {
        return Csv.line(CSV_COLUMNS);
    }
}
