package io.sandbox.chaincode;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic JSON for flat objects whose values are all strings.
 *
 * <p>Every endorser must produce byte-identical state values and event payloads, so this writer has no
 * configuration: fields appear in insertion order, {@code null} values are omitted, there is no whitespace, and
 * only {@code "}, {@code \} and control characters are escaped (always the same way). Numbers are never written
 * as JSON numbers: amounts are decimal strings. The reader accepts exactly what the writer produces (plus
 * insignificant whitespace); it is used only for the contract's own state records.
 */
final class Json {

    private Json() {
    }

    /** An ordered builder; {@link #put} with a {@code null} value leaves the field out. */
    static final class Obj {
        private final Map<String, String> fields = new LinkedHashMap<>();

        Obj put(String name, String value) {
            if (value != null) {
                fields.put(name, value);
            }
            return this;
        }

        Map<String, String> fields() {
            return Collections.unmodifiableMap(fields);
        }

        String toJson() {
            StringBuilder out = new StringBuilder(32 + fields.size() * 24).append('{');
            boolean first = true;
            for (Map.Entry<String, String> field : fields.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                quote(out, field.getKey());
                out.append(':');
                quote(out, field.getValue());
            }
            return out.append('}').toString();
        }

        byte[] toBytes() {
            return toJson().getBytes(StandardCharsets.UTF_8);
        }
    }

    static Obj obj() {
        return new Obj();
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Parses a flat object of string values, in document order. */
    static Map<String, String> parse(byte[] bytes) {
        return new Reader(new String(bytes, StandardCharsets.UTF_8)).object();
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        Map<String, String> object() {
            Map<String, String> result = new LinkedHashMap<>();
            expect('{');
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return end(result);
            }
            while (true) {
                String name = string();
                expect(':');
                String value = string();
                result.put(name, value);
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return end(result);
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private Map<String, String> end(Map<String, String> result) {
            skipWhitespace();
            if (pos != s.length()) {
                throw error("trailing characters");
            }
            return result;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape");
                }
            }
        }

        private void expect(char c) {
            skipWhitespace();
            if (next() != c) {
                throw error("expected '" + c + "'");
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void skipWhitespace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("malformed JSON record at offset " + pos + ": " + what);
        }
    }
}
