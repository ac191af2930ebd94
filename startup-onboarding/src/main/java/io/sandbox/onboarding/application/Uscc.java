package io.sandbox.onboarding.application;

import java.util.Optional;

/**
 * China's Unified Social Credit Code (GB 32100-2015): 18 characters from a 31-character set (digits and
 * capital letters without I, O, Z, S, V): registration authority (1), organisation type (1), administrative
 * division code (6 digits), organisation code (9, GB 11714) and a check character. The check character is
 * {@code 31 - (sum of value(c_i) * 3^(i-1) mod 31 over i = 1..17) mod 31}, mapped back to the set
 * (31 becomes '0').
 *
 * <p>The embedded organisation code has its own GB 11714 check character; codes issued to individual
 * businesses do not always carry a real one, so it is checked only on request
 * ({@link #organisationCodeValid}).
 */
final class Uscc {

    static final String CODE_SET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static final int LENGTH = 18;

    private Uscc() {
    }

    static Optional<String> problemWith(String code) {
        if (code == null || code.length() != LENGTH) {
            return Optional.of("a Unified Social Credit Code has exactly 18 characters");
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = code.charAt(i);
            if (CODE_SET.indexOf(c) < 0) {
                return Optional.of("character " + (i + 1) + " ('" + c + "') is not in the code's character set"
                        + " (digits and capital letters except I, O, Z, S, V)");
            }
        }
        for (int i = 2; i < 8; i++) {
            if (!Character.isDigit(code.charAt(i))) {
                return Optional.of("characters 3-8 are the administrative division code, which has only digits");
            }
        }
        char expected = checkCharacter(code);
        return code.charAt(LENGTH - 1) == expected
                ? Optional.empty()
                : Optional.of("the check character does not match (GB 32100: expected '" + expected + "')");
    }

    /** The GB 32100 check character for the first 17 characters of {@code code}. */
    static char checkCharacter(String code) {
        int sum = 0;
        int weight = 1;
        for (int i = 0; i < LENGTH - 1; i++) {
            sum += CODE_SET.indexOf(code.charAt(i)) * weight;
            weight = weight * 3 % 31;
        }
        return CODE_SET.charAt((31 - sum % 31) % 31);
    }

    /**
     * Whether characters 9-17, the GB 11714 organisation code, carry a valid check character: weights
     * 3, 7, 9, 10, 5, 8, 4, 2 over the first eight (letters A..Z as 10..35), {@code 11 - sum mod 11}, with
     * 10 written 'X' and 11 written '0'.
     */
    static boolean organisationCodeValid(String code) {
        if (code == null || code.length() != LENGTH) {
            return false;
        }
        int[] weights = {3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += Character.digit(code.charAt(8 + i), 36) * weights[i];
        }
        int check = 11 - sum % 11;
        char expected = check == 10 ? 'X' : check == 11 ? '0' : (char) ('0' + check);
        return code.charAt(16) == expected;
    }
}
