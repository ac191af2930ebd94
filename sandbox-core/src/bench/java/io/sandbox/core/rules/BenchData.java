package io.sandbox.core.rules;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Generated transactions and a realistic mix of 50 rules for the benchmarks. */
final class BenchData {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String[] TYPES = {"PAYMENT", "TRANSFER", "ASSET_ISSUED", "REDEMPTION", "CUSTOMER_ONBOARDED"};
    static final Permit PERMIT = new Permit(5_000, new BigDecimal("20000.00"), new BigDecimal("100000000.00"), "EUR",
            List.of("DEPOSIT_TOKEN", "STABLECOIN"), LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"));
    static final StartupProfile PROFILE = new StartupProfile("acme", "acme-channel", "AcmeMSP", PERMIT,
            Set.of("sandbox", "_lifecycle", "cscc", "qscc", "lscc"), Set.of("AcmeMSP", "RegulatorMSP"));

    private BenchData() {
    }

    /** Transaction {@code k} of a stream: one every 250 ms, 500 customers, 1 in 40 invalid. */
    static TransactionFacts tx(long k) {
        String type = TYPES[(int) (k % TYPES.length)];
        boolean onboarding = type.equals("CUSTOMER_ONBOARDED");
        String amount = onboarding ? null : BigDecimal.valueOf(100 + (k * 7919) % 1_500_000, 2).toPlainString();
        String from = type.equals("ASSET_ISSUED") || onboarding ? null : "cust-" + (k % 500);
        String to = type.equals("REDEMPTION") || onboarding ? null : "cust-" + ((k * 31) % 500);
        ReportingEvent event = new ReportingEvent(type, amount == null ? null : new BigDecimal(amount),
                amount == null ? null : (k % 17 == 0 ? "GBP" : "EUR"),
                type.equals("PAYMENT") || onboarding ? null : (k % 23 == 0 ? "EQUITY" : "DEPOSIT_TOKEN"),
                "asset-" + (k % 50), "pay-" + k, from, to, onboarding ? "cust-" + (k % 500) : null,
                onboarding ? "DE" : null, onboarding ? "LOW" : null, null);
        return new TransactionFacts("acme-channel", "acme", 10 + k / 20, (int) (k % 20), "tx-" + k,
                T0.plusMillis(250 * k), "ENDORSER_TRANSACTION", "AcmeMSP", List.of("AcmeMSP", "RegulatorMSP"),
                "sandbox", type.toLowerCase(java.util.Locale.ROOT), k % 40 == 0 ? "MVCC_READ_CONFLICT" : "VALID", event);
    }

    static Iterator<TransactionFacts> history(long n) {
        return new Iterator<>() {
            private long k;

            @Override
            public boolean hasNext() {
                return k < n;
            }

            @Override
            public TransactionFacts next() {
                return tx(k++);
            }
        };
    }

    /** 50 rules: the 5 permit rules, the 4 built-ins and 41 written rules of mixed shapes, all ACTIVE. */
    static List<CompiledRule> fiftyRules() {
        RuleCompiler compiler = new RuleCompiler();
        List<RuleDefinition> defs = new ArrayList<>();
        defs.addAll(PermitRules.derive(PROFILE, 1));
        defs.addAll(BuiltInRules.all());
        String[] shapes = {
            "event.type == 'PAYMENT' && event.amount > %d00.0",
            "event.amountMinor > %d0000 && event.currency == 'EUR'",
            "window.customer.hour.count > %d0",
            "window.customer.day.sum > %d00000000.0",
            "window.counterparty.minute.count > %d && event.type == 'TRANSFER'",
            "window.startup.minute.count > %d00",
            "event.type in ['TRANSFER', 'REDEMPTION'] && event.amount >= %d00.5",
            "event.from == event.to && event.from != '' && %d > 0",
            "tx.timestamp > timestamp('2026-06-01T00:00:00Z') && event.amountMinor > %d",
            "window.startup.hour.invalid * 10 > window.startup.hour.total + %d",
            "event.riskTier == 'HIGH' && event.jurisdiction != 'DE' && %d > 0",
            "event.present && event.assetType.startsWith('EQ') && event.amount > %d.0",
            "double(window.customer.hour.sumMinor) / double(window.startup.hour.sumMinor + 1) > 0.%d",
            "tx.endorsers.size() < 2 && %d > 0 || tx.creatorMsp == ''",
        };
        for (int i = 0; defs.size() < 50; i++) {
            String expression = String.format(shapes[i % shapes.length], 5 + i);
            defs.add(new RuleDefinition("r" + i, 1, "Rule " + i, Severity.MEDIUM, RuleMode.ACTIVE, Set.of(),
                    expression));
        }
        return defs.stream().map(compiler::compile).toList();
    }
}
