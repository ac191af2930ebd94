package io.sandbox.onboarding.review;

import io.sandbox.core.web.Problem.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The boundaries a regulator sets for a pilot at approval: the permit, as requested.
 *
 * @param maxCustomers how many customers the pilot may serve
 * @param maxSingleTransaction the largest value of one transaction, in {@code currency}
 * @param maxDailyVolume the largest total value per day, in {@code currency}; at least {@code maxSingleTransaction}
 * @param currency ISO 4217 code
 * @param allowedAssetTypes the asset types the pilot may handle, e.g. {@code PAYMENT}, {@code STABLECOIN}
 * @param testWindowStart first day of the test window
 * @param testWindowEnd last day of the test window; after the start
 */
public record PermitTerms(Integer maxCustomers, BigDecimal maxSingleTransaction, BigDecimal maxDailyVolume, String currency,
        List<String> allowedAssetTypes, LocalDate testWindowStart, LocalDate testWindowEnd) {

    static final int MAX_ASSET_TYPES = 20;
    private static final Pattern ASSET_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999.9999");

    public PermitTerms {
        allowedAssetTypes = allowedAssetTypes == null ? List.of() : List.copyOf(allowedAssetTypes);
    }

    /** The same terms with codes upper-cased, asset types trimmed and de-duplicated. */
    public PermitTerms normalised() {
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String type : allowedAssetTypes) {
            if (type != null && !type.isBlank()) {
                types.add(type.strip().toUpperCase(Locale.ROOT));
            }
        }
        return new PermitTerms(maxCustomers, maxSingleTransaction, maxDailyVolume,
                currency == null ? null : currency.strip().toUpperCase(Locale.ROOT), List.copyOf(types), testWindowStart, testWindowEnd);
    }

    /** What is wrong with these terms, field by field (names prefixed with {@code prefix}); empty when they are valid. */
    public List<FieldError> problems(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (maxCustomers == null) {
            errors.add(new FieldError(prefix + "maxCustomers", "is required"));
        } else if (maxCustomers < 1) {
            errors.add(new FieldError(prefix + "maxCustomers", "must be at least 1"));
        }
        amount(maxSingleTransaction, prefix + "maxSingleTransaction", errors);
        amount(maxDailyVolume, prefix + "maxDailyVolume", errors);
        if (positive(maxSingleTransaction) && positive(maxDailyVolume) && maxDailyVolume.compareTo(maxSingleTransaction) < 0) {
            errors.add(new FieldError(prefix + "maxDailyVolume", "must be at least the max single transaction value"));
        }
        if (currency == null || currency.isBlank()) {
            errors.add(new FieldError(prefix + "currency", "is required (an ISO 4217 code, e.g. EUR)"));
        } else if (!isCurrency(currency)) {
            errors.add(new FieldError(prefix + "currency", "is not an ISO 4217 currency code"));
        }
        if (allowedAssetTypes.isEmpty()) {
            errors.add(new FieldError(prefix + "allowedAssetTypes", "name at least one asset type"));
        } else if (allowedAssetTypes.size() > MAX_ASSET_TYPES) {
            errors.add(new FieldError(prefix + "allowedAssetTypes", "at most " + MAX_ASSET_TYPES + " asset types"));
        }
        for (int i = 0; i < allowedAssetTypes.size(); i++) {
            String type = allowedAssetTypes.get(i);
            if (type == null || !ASSET_TYPE.matcher(type).matches()) {
                errors.add(new FieldError(prefix + "allowedAssetTypes[" + i + "]",
                        "must be an upper-case name (letters, digits, underscores), e.g. STABLECOIN"));
            }
        }
        if (testWindowStart == null) {
            errors.add(new FieldError(prefix + "testWindowStart", "is required"));
        }
        if (testWindowEnd == null) {
            errors.add(new FieldError(prefix + "testWindowEnd", "is required"));
        }
        if (testWindowStart != null && testWindowEnd != null && !testWindowEnd.isAfter(testWindowStart)) {
            errors.add(new FieldError(prefix + "testWindowEnd", "must be after the start of the test window"));
        }
        return errors;
    }

    /** The terms as audit details. */
    Map<String, Object> asDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("maxCustomers", maxCustomers);
        details.put("maxSingleTransaction", maxSingleTransaction);
        details.put("maxDailyVolume", maxDailyVolume);
        details.put("currency", currency);
        details.put("allowedAssetTypes", allowedAssetTypes);
        details.put("testWindowStart", String.valueOf(testWindowStart));
        details.put("testWindowEnd", String.valueOf(testWindowEnd));
        return details;
    }

    private static void amount(BigDecimal value, String field, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value.signum() <= 0) {
            errors.add(new FieldError(field, "must be greater than 0"));
        } else if (value.compareTo(MAX_AMOUNT) > 0 || Math.max(value.stripTrailingZeros().scale(), 0) > 4) {
            errors.add(new FieldError(field, "must have at most 16 digits before and 4 after the decimal point"));
        }
    }

    private static boolean positive(BigDecimal value) {
        return value != null && value.signum() > 0;
    }

    private static boolean isCurrency(String code) {
        return Currency.getAvailableCurrencies().stream().anyMatch(c -> c.getCurrencyCode().equals(code));
    }
}
