package io.sandbox.onboarding.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox.core.web.Problem.FieldError;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermitTermsTest {

    /** Valid terms to start each case from. */
    static PermitTerms valid() {
        return new PermitTerms(500, new BigDecimal("1000.00"), new BigDecimal("50000"), "EUR", List.of("PAYMENT", "STABLECOIN"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 6, 30));
    }

    private static List<String> fields(PermitTerms terms) {
        return terms.problems("permit.").stream().map(FieldError::field).toList();
    }

    @Test
    void validTermsHaveNoProblems() {
        assertThat(valid().problems("permit.")).isEmpty();
    }

    @Test
    void theTestWindowMustEndAfterItStarts() {
        PermitTerms sameDay = new PermitTerms(500, BigDecimal.TEN, BigDecimal.TEN, "EUR", List.of("PAYMENT"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 1));
        PermitTerms backwards = new PermitTerms(500, BigDecimal.TEN, BigDecimal.TEN, "EUR", List.of("PAYMENT"),
                LocalDate.of(2027, 2, 1), LocalDate.of(2027, 1, 1));

        assertThat(fields(sameDay)).containsExactly("permit.testWindowEnd");
        assertThat(fields(backwards)).containsExactly("permit.testWindowEnd");
    }

    @Test
    void limitsMustBePositiveAndDailyVolumeAtLeastOneTransaction() {
        PermitTerms terms = new PermitTerms(0, new BigDecimal("-1"), BigDecimal.ZERO, "EUR", List.of("PAYMENT"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));
        PermitTerms dailyBelowSingle = new PermitTerms(5, new BigDecimal("100"), new BigDecimal("99.99"), "EUR", List.of("PAYMENT"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));

        assertThat(fields(terms)).containsExactly("permit.maxCustomers", "permit.maxSingleTransaction", "permit.maxDailyVolume");
        assertThat(fields(dailyBelowSingle)).containsExactly("permit.maxDailyVolume");
    }

    @Test
    void amountsHaveAtMostFourDecimals() {
        PermitTerms terms = new PermitTerms(5, new BigDecimal("0.00001"), new BigDecimal("10"), "EUR", List.of("PAYMENT"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));

        assertThat(fields(terms)).containsExactly("permit.maxSingleTransaction");
    }

    @Test
    void currencyMustBeIso4217() {
        PermitTerms terms = new PermitTerms(5, BigDecimal.ONE, BigDecimal.TEN, "EURO", List.of("PAYMENT"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));

        assertThat(fields(terms)).containsExactly("permit.currency");
        assertThat(fields(new PermitTerms(5, BigDecimal.ONE, BigDecimal.TEN, "eur", List.of("PAYMENT"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1)).normalised())).isEmpty();
    }

    @Test
    void assetTypesAreRequiredAndNamedInCapitals() {
        PermitTerms none = new PermitTerms(5, BigDecimal.ONE, BigDecimal.TEN, "EUR", List.of(),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));
        PermitTerms bad = new PermitTerms(5, BigDecimal.ONE, BigDecimal.TEN, "EUR", List.of("PAYMENT", "bad type!"),
                LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1));

        assertThat(fields(none)).containsExactly("permit.allowedAssetTypes");
        assertThat(fields(bad)).containsExactly("permit.allowedAssetTypes[1]");
        assertThat(new PermitTerms(5, BigDecimal.ONE, BigDecimal.TEN, "EUR", List.of(" payment ", "PAYMENT", ""),
                null, null).normalised().allowedAssetTypes()).containsExactly("PAYMENT");
    }

    @Test
    void missingValuesAreEachNamed() {
        PermitTerms empty = new PermitTerms(null, null, null, null, null, null, null);

        assertThat(fields(empty)).containsExactly("permit.maxCustomers", "permit.maxSingleTransaction", "permit.maxDailyVolume",
                "permit.currency", "permit.allowedAssetTypes", "permit.testWindowStart", "permit.testWindowEnd");
    }
}
