package io.sandbox.onboarding.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryIdentifierTest {

    @ParameterizedTest
    @ValueSource(strings = {"5493001KJTIIGC8Y1R12", "529900T8BM49AURSDO55", "7LTWFZYICNSX8D621K86", "HWUPKR0MPOU8FGXBT394"})
    void realLeisAreValid(String lei) {
        assertThat(RegistryScheme.LEI.problemWith(lei)).isEmpty();
    }

    @Test
    void anLeiWithWrongCheckDigitsIsRefused() {
        assertThat(RegistryScheme.LEI.problemWith("5493001KJTIIGC8Y1R13")).hasValueSatisfying(p -> assertThat(p).contains("check digits"));
        assertThat(RegistryScheme.LEI.problemWith("529900T8BM49AURSDO56")).isPresent();
    }

    @Test
    void anLeiWithTwoCharactersSwappedIsRefused() {
        assertThat(RegistryScheme.LEI.problemWith("5493001KJTIIGC8Y1R12".replace("KJ", "JK"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"5493001KJTIIGC8Y1R1", "5493001KJTIIGC8Y1R123", "5493001kjtiigc8y1r12", "5493001KJTIIGC8Y1RAB", "5493001KJTIIGC8Y-R12"})
    void malformedLeisAreRefused(String lei) {
        assertThat(RegistryScheme.LEI.problemWith(lei)).isPresent();
    }

    @Test
    void mod97OfAValidLeiIsOne() {
        assertThat(Lei.mod97("5493001KJTIIGC8Y1R12")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"91350100M000100Y43", "91110000600037341L", "91440300708461136T"})
    void realUnifiedSocialCreditCodesAreValid(String uscc) {
        assertThat(RegistryScheme.USCC.problemWith(uscc)).isEmpty();
    }

    @Test
    void theUsccCheckCharacterIsComputedWithWeightsThreeToTheIModThirtyOne() {
        assertThat(Uscc.checkCharacter("91350100M000100Y4")).isEqualTo('3');
    }

    @Test
    void aUsccWithAWrongCheckCharacterIsRefusedNamingTheExpectedOne() {
        assertThat(RegistryScheme.USCC.problemWith("91350100M000100Y44"))
                .hasValueSatisfying(p -> assertThat(p).contains("check character").contains("'3'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"91350100M000100Y4", "91350100M000100Y433", "91350100M000I00Y43", "91350100M000100O43",
            "9135A100M000100Y43", "91350100m000100y43"})
    void malformedUnifiedSocialCreditCodesAreRefused(String uscc) {
        assertThat(RegistryScheme.USCC.problemWith(uscc)).isPresent();
    }

    @Test
    void theEmbeddedOrganisationCodeCheckIsSeparate() {
        assertThat(Uscc.organisationCodeValid("91350100M000100Y43")).isTrue();
        // Same body with another organisation-code check character, and the main check character recomputed.
        String body = "91350100M000100Y5";
        String code = body + Uscc.checkCharacter(body);
        assertThat(RegistryScheme.USCC.problemWith(code)).isEmpty();
        assertThat(Uscc.organisationCodeValid(code)).isFalse();
    }

    @Test
    void schemesAreNamedCaseInsensitively() {
        assertThat(RegistryScheme.named(" lei ")).contains(RegistryScheme.LEI);
        assertThat(RegistryScheme.named("uscc")).contains(RegistryScheme.USCC);
        assertThat(RegistryScheme.named("DUNS")).isEmpty();
        assertThat(RegistryScheme.named(null)).isEmpty();
    }
}
