package io.sandbox.devnet.chaincode;

import java.util.Comparator;

/** Key ordering as Fabric's (Go) state database has it. */
public final class Keys {

    /**
     * Byte-wise order of the UTF-8 encodings, which is Go's string order and LevelDB's key order. It equals
     * Unicode code point order, and differs from {@link String#compareTo} (UTF-16 units) for characters above
     * U+FFFF against U+E000..U+FFFF. Fabric sorts namespaces, read keys and write keys of an rwset this way.
     */
    public static final Comparator<String> UTF8_ORDER = Keys::compare;

    private Keys() {
    }

    static int compare(String a, String b) {
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

    /** Whether {@code key} is in {@code [startKey, endKey)}, an empty bound being open. */
    public static boolean inRange(String key, String startKey, String endKey) {
        return (startKey.isEmpty() || compare(key, startKey) >= 0) && (endKey.isEmpty() || compare(key, endKey) < 0);
    }
}
