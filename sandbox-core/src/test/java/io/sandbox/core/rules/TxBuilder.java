package io.sandbox.core.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Test data: transactions, events and startups with sensible defaults. */
final class TxBuilder {

    static final String STARTUP = "acme";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private String channel = "acme-channel";
    private String startup = STARTUP;
    private long block = 5;
    private int index;
    private String txId = "tx-1";
    private Instant timestamp = T0;
    private String headerType = "ENDORSER_TRANSACTION";
    private String creatorMsp = "AcmeMSP";
    private List<String> endorsers = List.of("AcmeMSP");
    private String chaincode = "sandbox";
    private String function = "transfer";
    private String validationCode = "VALID";
    private String deployedChaincode;
    private ReportingEvent event;

    static TxBuilder tx() {
        return new TxBuilder();
    }

    static TxBuilder payment(String amount, String from, String to) {
        return tx().event(event("PAYMENT", amount, from, to));
    }

    static ReportingEvent event(String type, String amount, String from, String to) {
        return new ReportingEvent(type, amount == null ? null : new BigDecimal(amount), amount == null ? null : "EUR",
                null, null, "pay-1", from, to, null, null, null, T0);
    }

    static ReportingEvent asset(String type, String amount, String assetType, String from, String to) {
        return new ReportingEvent(type, new BigDecimal(amount), "EUR", assetType, "asset-1", null, from, to, null, null,
                null, T0);
    }

    static ReportingEvent onboarded(String customerRef) {
        return new ReportingEvent("CUSTOMER_ONBOARDED", null, null, null, null, null, null, null, customerRef, "DE",
                "LOW", T0);
    }

    static StartupProfile profile(Permit permit) {
        return new StartupProfile(STARTUP, "acme-channel", "AcmeMSP", permit,
                Set.of("sandbox", "_lifecycle", "cscc", "qscc", "lscc"), Set.of("AcmeMSP", "RegulatorMSP"));
    }

    TxBuilder startup(String value) {
        startup = value;
        return this;
    }

    TxBuilder channel(String value) {
        channel = value;
        return this;
    }

    TxBuilder block(long value) {
        block = value;
        return this;
    }

    TxBuilder id(String value) {
        txId = value;
        return this;
    }

    TxBuilder at(Instant value) {
        timestamp = value;
        return this;
    }

    TxBuilder at(String iso) {
        return at(Instant.parse(iso));
    }

    TxBuilder header(String value) {
        headerType = value;
        return this;
    }

    TxBuilder endorsers(String... values) {
        endorsers = List.of(values);
        return this;
    }

    TxBuilder chaincode(String cc, String fn) {
        chaincode = cc;
        function = fn;
        return this;
    }

    /** A {@code _lifecycle} commit of {@code name}'s definition. */
    TxBuilder deploys(String name) {
        this.chaincode = "_lifecycle";
        this.function = "CommitChaincodeDefinition";
        this.deployedChaincode = name;
        return this;
    }

    TxBuilder invalid() {
        validationCode = "MVCC_READ_CONFLICT";
        return this;
    }

    TxBuilder event(ReportingEvent value) {
        event = value;
        return this;
    }

    TransactionFacts build() {
        return new TransactionFacts(channel, startup, block, index, txId, timestamp, headerType, creatorMsp, endorsers,
                chaincode, function, validationCode, event, deployedChaincode);
    }
}
