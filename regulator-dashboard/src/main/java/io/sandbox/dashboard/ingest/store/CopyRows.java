package io.sandbox.dashboard.ingest.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
final class CopyRows {

    private static final HexFormat HEX = HexFormat.of();

    private final StringBuilder out = new StringBuilder(64 * 1024);
    private boolean first = true;

    CopyRows text(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
        } else {
            escape(value);
        }
        return this;
    }

    CopyRows number(long value) {
        separator();
        out.append(value);
        return this;
    }

    CopyRows bytea(byte[] value) {
        separator();
        out.append("\\\\x").append(HEX.formatHex(value));
        return this;
    }

    CopyRows timestamp(Instant value) {
        return text(value == null ? null : value.toString());
    }

    /** A {@code text[]} literal, each element quoted. */
    CopyRows array(List<String> values) {
        if (values == null) {
            return text(null);
        }
        StringBuilder literal = new StringBuilder(values.size() * 66 + 2).append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append('"');
            String v = values.get(i);
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                if (ch == '"' || ch == '\\') {
                    literal.append('\\');
                }
                literal.append(ch);
            }
            literal.append('"');
        }
        return text(literal.append('}').toString());
    }

    void endRow() {
        out.append('\n');
        first = true;
    }

    boolean isEmpty() {
        return out.isEmpty();
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void separator() {
        if (!first) {
            out.append('\t');
        }
        first = false;
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
