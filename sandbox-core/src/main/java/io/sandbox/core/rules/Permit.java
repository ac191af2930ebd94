package io.sandbox.core.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * A startup's permit boundaries, as the rules see them.
 *
 * @param maxCustomers      how many customers the pilot may onboard (at least 1)
 * @param maxSingleValue    the largest value of one transaction, in {@code currency} (positive)
 * @param maxDailyVolume    the largest total value per day (sliding 24 hours), in {@code currency} (positive)
 * @param currency          ISO 4217 code the limits are in
 * @param allowedAssetTypes asset types the pilot may handle
 * @param testWindowStart   first day of the test window (UTC)
 * @param testWindowEnd     last day of the test window (UTC, inclusive); not before the start
 */
public record Permit(int maxCustomers, BigDecimal maxSingleValue, BigDecimal maxDailyVolume, String currency,
        List<String> allowedAssetTypes, LocalDate testWindowStart, LocalDate testWindowEnd) {

    public Permit {
        if (maxCustomers < 1) {
            throw new IllegalArgumentException("maxCustomers must be at least 1");
        }
        Objects.requireNonNull(maxSingleValue, "maxSingleValue");
        Objects.requireNonNull(maxDailyVolume, "maxDailyVolume");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(testWindowStart, "testWindowStart");
        Objects.requireNonNull(testWindowEnd, "testWindowEnd");
        if (maxSingleValue.signum() <= 0) {
            throw new IllegalArgumentException("maxSingleValue must be greater than 0");
        }
        if (maxDailyVolume.signum() <= 0) {
            throw new IllegalArgumentException("maxDailyVolume must be greater than 0");
        }
        if (testWindowEnd.isBefore(testWindowStart)) {
            throw new IllegalArgumentException("testWindowEnd must not be before testWindowStart");
        }
        allowedAssetTypes = allowedAssetTypes == null ? List.of() : List.copyOf(allowedAssetTypes);
    }
}
