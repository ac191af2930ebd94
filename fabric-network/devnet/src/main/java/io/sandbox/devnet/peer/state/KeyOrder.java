package io.sandbox.devnet.peer.state;

import java.util.Comparator;

/**
 * Key order of Fabric's state databases: plain byte order of the keys' UTF-8 encodings (LevelDB's default
 * comparator). For valid Unicode that is code point order, which differs from {@link String#compareTo} (UTF-16
 * code units) for supplementary characters: composite keys end their attributes with U+0000 and range over
 * partial keys up to U+10FFFF ({@code shim.ChaincodeStub.GetStateByPartialCompositeKey}), which must sort after
 * U+E000..U+FFFF.
 */
public final class KeyOrder {

    /** The comparator. */
    public static final Comparator<String> UTF8 = KeyOrder::compare;

    private KeyOrder() {}

    /** Compares two keys in UTF-8 byte order. */
    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Whether {@code key} is in {@code [startKey, endKey)}, an empty (or null) bound being open. */
    public static boolean inRange(String key, String startKey, String endKey) {
        return (startKey == null || startKey.isEmpty() || compare(key, startKey) >= 0)
                && (endKey == null || endKey.isEmpty() || compare(key, endKey) < 0);
    }
}
