package io.sandbox.core.evidence;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV: fields quoted when they hold a comma, quote, CR or LF; quotes doubled; CRLF line ends. */
final class Csv {

    private Csv() {
    }

    static String line(List<String> fields) {
        StringBuilder out = new StringBuilder(128);
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\r') >= 0 || f.indexOf('\n') >= 0) {
                out.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                out.append(f);
            }
        }
        return out.append("\r\n").toString();
    }

    /** Reads records one at a time. */
    static final class Reader2 {
        private final Reader in;
        private int peeked = -2;

        Reader2(Reader in) {
            this.in = in;
        }

        private int peek() throws IOException {
            if (peeked == -2) {
                peeked = in.read();
            }
            return peeked;
        }

        private int next() throws IOException {
            int c = peek();
            peeked = -2;
            return c;
        }

        /** The next record, or null at the end. */
        List<String> next(long lineNumber) throws IOException {
            if (peek() == -1) {
                return null;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            while (true) {
                int c = next();
                if (quoted) {
                    if (c == -1) {
                        throw new IllegalArgumentException("record " + lineNumber + ": unterminated quoted field");
                    }
                    if (c == '"') {
                        if (peek() == '"') {
                            next();
                            field.append('"');
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append((char) c);
                    }
                    continue;
                }
                if (c == '"' && field.isEmpty() && !wasQuoted) {
                    quoted = true;
                    wasQuoted = true;
                } else if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    wasQuoted = false;
                } else if (c == '\r' && peek() == '\n') {
                    next();
                    fields.add(field.toString());
                    return fields;
                } else if (c == -1) {
                    throw new IllegalArgumentException("record " + lineNumber + ": does not end with CRLF");
                } else if (c == '"' || c == '\r' || c == '\n') {
                    throw new IllegalArgumentException("record " + lineNumber + ": stray quote or line break");
                } else {
                    field.append((char) c);
                }
            }
        }
    }
}
