package io.sandbox.onboarding.application;

import java.util.Optional;

/**
 * The Legal Entity Identifier (ISO 17442): 18 alphanumeric characters followed by two check digits, such
 * that the whole code, read as a number with letters A..Z as 10..35, is 1 modulo 97 (ISO 7064 MOD 97-10).
 */
final class Lei {

    static final int LENGTH = 20;

    private Lei() {
    }

    static Optional<String> problemWith(String code) {
        if (code == null || code.length() != LENGTH) {
            return Optional.of("an LEI has exactly 20 characters");
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = code.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (i >= LENGTH - 2 ? !digit : !(digit || (c >= 'A' && c <= 'Z'))) {
                return Optional.of(i >= LENGTH - 2
                        ? "the last two characters of an LEI are check digits"
                        : "an LEI has only digits and capital letters A-Z (character " + (i + 1) + " is '" + c + "')");
            }
        }
        return mod97(code) == 1 ? Optional.empty() : Optional.of("the LEI's check digits do not match (ISO 7064 MOD 97-10)");
    }

    /** The code modulo 97, letters counting as two digits (A = 10 .. Z = 35). */
    static int mod97(String code) {
        int remainder = 0;
        for (int i = 0; i < code.length(); i++) {
            int value = Character.digit(code.charAt(i), 36);
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }
        return remainder;
    }
}
