package io.sandbox.chaincode;

import static io.sandbox.chaincode.SandboxErrors.invalid;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Set;
import java.util.regex.Pattern;

/** Input checks shared by the contract's functions; every failure names the field. */
final class Validation {

    /** Amounts carry exactly this many decimal places, in state and in events. */
    static final int SCALE = 2;

    /** Up to 15 integer digits: far below any overflow, and well inside what every JSON consumer can parse. */
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1," + SCALE + "})?");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+(\\.[0-9]+)?");
    /** Opaque references and ids: no spaces, no '@', no U+0000 (the composite-key delimiter). */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /** ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision (e.g. "DE", "US-NY"). */
    private static final Pattern JURISDICTION = Pattern.compile("[A-Z]{2}(-[A-Z0-9]{1,3})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern ASSET_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    static final Set<String> RISK_TIERS = Set.of("LOW", "MEDIUM", "HIGH");

    private Validation() {
    }

    static String reference(String field, String value) {
        required(field, value);
        if (!REFERENCE.matcher(value).matches()) {
            throw invalid(field, "must be 1-64 characters from A-Z a-z 0-9 . _ : - starting with a letter or digit"
                    + " (an opaque reference, never personal data), got " + show(value));
        }
        return value;
    }

    static String jurisdiction(String value) {
        required("jurisdiction", value);
        if (!JURISDICTION.matcher(value).matches()) {
            throw invalid("jurisdiction", "must be an ISO 3166 code such as DE or US-NY, got " + show(value));
        }
        return value;
    }

    static String riskTier(String value) {
        required("riskTier", value);
        if (!RISK_TIERS.contains(value)) {
            throw invalid("riskTier", "must be one of LOW, MEDIUM, HIGH, got " + show(value));
        }
        return value;
    }

    static String assetType(String value) {
        required("assetType", value);
        if (!ASSET_TYPE.matcher(value).matches()) {
            throw invalid("assetType", "must be 1-32 characters from A-Z 0-9 _ starting with a letter"
                    + " (e.g. DEPOSIT_TOKEN), got " + show(value));
        }
        return value;
    }

    static String currency(String value) {
        required("currency", value);
        if (!CURRENCY.matcher(value).matches() || !isIso4217(value)) {
            throw invalid("currency", "must be an ISO 4217 alphabetic code such as EUR, got " + show(value));
        }
        return value;
    }

    private static boolean isIso4217(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A strictly positive amount with at most {@link #SCALE} decimal places, returned at scale {@link #SCALE}. */
    static BigDecimal amount(String value) {
        required("amount", value);
        if (!AMOUNT.matcher(value).matches()) {
            if (NEGATIVE.matcher(value).matches()) {
                throw invalid("amount", "must be greater than zero, got " + show(value));
            }
            throw invalid("amount", "must be a plain decimal with at most " + SCALE
                    + " decimal places and up to 15 integer digits (e.g. 1250.00), got " + show(value));
        }
        BigDecimal amount = new BigDecimal(value).setScale(SCALE);
        if (amount.signum() <= 0) {
            throw invalid("amount", "must be greater than zero, got " + show(value));
        }
        return amount;
    }

    static String format(BigDecimal amount) {
        return amount.setScale(SCALE).toPlainString();
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
    }

    /** Quotes a rejected value for an error message, cut short so a message stays readable. */
    private static String show(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder out = new StringBuilder("'");
        cut.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }
}
