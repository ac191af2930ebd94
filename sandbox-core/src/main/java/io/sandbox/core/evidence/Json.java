package io.sandbox.core.evidence;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON the bundle format needs, with no library (the verifier runs on the JDK alone): a parser to maps, lists,
 * strings, {@link Long}/{@link BigDecimal}, booleans and {@code null}; a writer; and the canonical form the manifest
 * signature covers (object members sorted by name, no whitespace, only {@code "}, {@code \} and control characters
 * escaped, integers only).
 */
public final class Json {

    private Json() {
    }

    /** Parses one JSON text. */
    public static Object parse(String text) {
        try {
            Pull pull = new Pull(new StringReader(text));
            Object value = pull.value();
            if (pull.peek() != -1) {
                throw pull.error("unexpected data after the value");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The canonical form: members sorted by name at every level. */
    public static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, true);
        return out.toString();
    }

    /** Members in their map's order. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, false);
        return out.toString();
    }

    /** Appends {@code value} in map order. */
    public static void write(Object value, StringBuilder out) {
        write(value, out, false);
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out, boolean sorted) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof BigDecimal d) {
            out.append(d.toPlainString());
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Map<?, ?> map) {
            Map<String, Object> members = sorted ? new TreeMap<>((Map<String, Object>) map) : (Map<String, Object>) map;
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : members.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(e.getKey(), out);
                out.append(':');
                write(e.getValue(), out, sorted);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out, sorted);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** A JSON string literal. */
    public static void string(String s, StringBuilder out) {
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

    /** A pull parser over a reader: whole values, or an object's members and an array's elements one at a time. */
    static final class Pull {
        private final Reader in;
        private int peeked = -2;
        private long position;

        Pull(Reader in) {
            this.in = in;
        }

        int peek() throws IOException {
            skipSpace();
            return peeked;
        }

        private int raw() throws IOException {
            if (peeked == -2) {
                peeked = in.read();
            }
            return peeked;
        }

        private int next() throws IOException {
            int c = raw();
            peeked = -2;
            position++;
            return c;
        }

        private void skipSpace() throws IOException {
            while (true) {
                int c = raw();
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    next();
                } else {
                    return;
                }
            }
        }

        void expect(char c) throws IOException {
            skipSpace();
            int got = next();
            if (got != c) {
                throw error("expected '" + c + "' but found " + (got == -1 ? "the end" : "'" + (char) got + "'"));
            }
        }

        /** After '{' or ',': the next member name, or null at '}'. */
        String nextName(boolean first) throws IOException {
            int c = peek();
            if (c == '}') {
                next();
                return null;
            }
            if (!first) {
                expect(',');
            }
            String name = stringLiteral();
            expect(':');
            return name;
        }

        /** Inside an array: whether another element follows (consumes ',' or ']'). */
        boolean nextElement(boolean first) throws IOException {
            int c = peek();
            if (c == ']') {
                next();
                return false;
            }
            if (!first) {
                expect(',');
            }
            return true;
        }

        Object value() throws IOException {
            int c = peek();
            switch (c) {
                case '{' -> {
                    next();
                    Map<String, Object> map = new LinkedHashMap<>();
                    boolean first = true;
                    String name;
                    while ((name = nextName(first)) != null) {
                        first = false;
                        if (map.containsKey(name)) {
                            throw error("duplicate member '" + name + "'");
                        }
                        map.put(name, value());
                    }
                    return map;
                }
                case '[' -> {
                    next();
                    List<Object> list = new ArrayList<>();
                    boolean first = true;
                    while (nextElement(first)) {
                        first = false;
                        list.add(value());
                    }
                    return list;
                }
                case '"' -> {
                    return stringLiteral();
                }
                case 't' -> {
                    word("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    word("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    word("null");
                    return null;
                }
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error(c == -1 ? "unexpected end of JSON" : "unexpected character '" + (char) c + "'");
                }
            }
        }

        private void word(String w) throws IOException {
            for (int i = 0; i < w.length(); i++) {
                if (next() != w.charAt(i)) {
                    throw error("invalid literal, expected " + w);
                }
            }
        }

        private Object number() throws IOException {
            StringBuilder s = new StringBuilder();
            int c;
            while ((c = raw()) != -1 && (c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9'))) {
                s.append((char) next());
            }
            String text = s.toString();
            try {
                if (text.matches("-?(0|[1-9][0-9]{0,17})")) {
                    return Long.parseLong(text);
                }
                if (!text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                    throw error("invalid number " + text);
                }
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw error("invalid number " + text);
            }
        }

        private String stringLiteral() throws IOException {
            skipSpace();
            if (next() != '"') {
                throw error("expected a string");
            }
            StringBuilder s = new StringBuilder();
            while (true) {
                int c = next();
                if (c == -1) {
                    throw error("unterminated string");
                }
                if (c == '"') {
                    return s.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    s.append((char) c);
                    continue;
                }
                int e = next();
                switch (e) {
                    case '"' -> s.append('"');
                    case '\\' -> s.append('\\');
                    case '/' -> s.append('/');
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> {
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int h = Character.digit(next(), 16);
                            if (h < 0) {
                                throw error("invalid \\u escape");
                            }
                            v = v * 16 + h;
                        }
                        s.append((char) v);
                    }
                    default -> throw error("invalid escape");
                }
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at character " + position + ": " + what);
        }
    }
}
