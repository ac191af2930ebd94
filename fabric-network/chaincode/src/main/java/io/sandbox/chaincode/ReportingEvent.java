package io.sandbox.chaincode;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The sandbox reporting schema, version 1: the one chaincode event each state-changing transaction emits, which
 * the regulator's peer evaluates policy rules over. See {@code docs/reporting-schema.md}.
 *
 * <p>Field order is fixed (the order of the fields below) and fields that do not apply are omitted, so every
 * endorser produces identical bytes.
 */
final class ReportingEvent {

    /** The chaincode event name; the version moves with {@link #SCHEMA}'s major version. */
    static final String EVENT_NAME = "sandbox.v1";
    static final String SCHEMA = "sandbox.reporting/1";

    /** Event types of schema version 1. */
    enum Type {
        CUSTOMER_ONBOARDED,
        ASSET_ISSUED,
        TRANSFER,
        PAYMENT,
        REDEMPTION
    }

    private final Type type;
    private String amount;
    private String currency;
    private String assetType;
    private String assetId;
    private String paymentId;
    private String from;
    private String to;
    private String customerRef;
    private String jurisdiction;
    private String riskTier;

    private ReportingEvent(Type type) {
        this.type = type;
    }

    static ReportingEvent of(Type type) {
        return new ReportingEvent(type);
    }

    ReportingEvent amount(String value) {
        this.amount = value;
        return this;
    }

    ReportingEvent currency(String value) {
        this.currency = value;
        return this;
    }

    ReportingEvent assetType(String value) {
        this.assetType = value;
        return this;
    }

    ReportingEvent assetId(String value) {
        this.assetId = value;
        return this;
    }

    ReportingEvent paymentId(String value) {
        this.paymentId = value;
        return this;
    }

    ReportingEvent from(String value) {
        this.from = value;
        return this;
    }

    ReportingEvent to(String value) {
        this.to = value;
        return this;
    }

    ReportingEvent customer(String ref, String jurisdictionCode, String tier) {
        this.customerRef = ref;
        this.jurisdiction = jurisdictionCode;
        this.riskTier = tier;
        return this;
    }

    /** ISO-8601 UTC, as {@link DateTimeFormatter#ISO_INSTANT} writes it (the fraction only when non-zero). */
    static String timestamp(Instant txTimestamp) {
        return DateTimeFormatter.ISO_INSTANT.format(txTimestamp);
    }

    byte[] toPayload(Instant txTimestamp, String txId) {
        return Json.obj()
                .put("schema", SCHEMA)
                .put("type", type.name())
                .put("amount", amount)
                .put("currency", currency)
                .put("assetType", assetType)
                .put("assetId", assetId)
                .put("paymentId", paymentId)
                .put("from", from)
                .put("to", to)
                .put("customerRef", customerRef)
                .put("jurisdiction", jurisdiction)
                .put("riskTier", riskTier)
                .put("timestamp", timestamp(txTimestamp))
                .put("txId", txId)
                .toBytes();
    }
}
