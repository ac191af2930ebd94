package io.sandbox.dashboard.evidence;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/** {@code report.pdf}: the bundle's summary for people, in the standard 14 fonts (text extractable). */
final class ReportPdf {

    private static final float MARGIN = 50;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    private ReportPdf() {
    }

    static void write(BundleExport.Report report, OutputStream out) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle("Evidence report: " + report.scope.startup());
            info.setCreator("Sandbox regulator dashboard");
            Pages pages = new Pages(document);
            try {
                content(report, pages);
            } finally {
                pages.close();
            }
            document.save(out);
        }
    }

    private static void content(BundleExport.Report r, Pages p) throws IOException {
        ExportScope s = r.scope;
        p.title("Evidence report: " + s.displayName());
        p.line("Startup " + s.startup() + (s.mspId() == null ? "" : " (MSP " + s.mspId() + ")") + ", channel " + s.channel());
        p.line("Period: from " + s.from() + " (inclusive) to " + s.to() + " (exclusive)");
        p.line("Generated " + s.createdAt() + " by " + s.actor() + ". Format sandbox.evidence/1; the signed manifest.json"
                + " lists every file of the bundle with its SHA-256.");

        p.heading("Permit");
        if (r.permit == null) {
            p.line("No permit is recorded for this startup.");
        } else {
            Map<String, Object> m = r.permit;
            p.line("Version " + m.get("version") + ", set by " + m.get("changedBy") + " at " + m.get("changedAt"));
            p.line("Test window " + m.get("testWindowStart") + " to " + m.get("testWindowEnd") + "; at most "
                    + m.get("maxCustomers") + " customers; single value at most " + m.get("maxSingleValue") + " "
                    + m.get("currency") + "; daily volume at most " + m.get("maxDailyVolume") + " " + m.get("currency"));
            p.line("Allowed asset types: " + m.get("allowedAssetTypes"));
        }

        p.heading("Ledger extract");
        if (s.firstBlock() == null) {
            p.line("No transaction of the channel falls in the period: the bundle holds no blocks.");
        } else {
            p.line("Blocks " + s.firstBlock() + " to " + s.lastBlock() + " (every block from the first to the last"
                    + " holding a transaction of the period), as the regulator's peer delivered them.");
            p.line(s.firstBlock() == 0 ? "The extract starts at the genesis block 0: there is no anchor header."
                    : "Anchor: the header of block " + (s.firstBlock() - 1) + ".");
        }

        p.heading("Chain verification (platform side)");
        p.line("Result: " + r.chain.summary());
        if (r.chain.anchorHash != null) {
            p.mono("anchor header hash " + r.chain.anchorHash);
        }
        if (r.chain.lastHeaderHash != null) {
            p.mono("last header hash   " + r.chain.lastHeaderHash);
        }
        p.line("Anyone can check this offline: java -jar sandbox-verifier.jar <bundle.zip> --trust-root <root.pem>");

        p.heading("Transactions");
        BundleExport.Stats st = r.stats;
        p.line(st.total + " transactions in the extracted blocks, " + st.inPeriod + " of them in the period.");
        p.line("By validation code: " + counts(st.byValidationCode));
        p.line("By event type: " + counts(st.byEventType));
        List<String> volume = new ArrayList<>();
        st.validVolumeByCurrency.forEach((c, v) -> volume.add(v.toPlainString() + " " + c));
        p.line("Volume of valid transactions by currency: " + (volume.isEmpty() ? "none" : String.join(", ", volume)));

        p.heading("Alerts in the period");
        if (r.alertCount == 0) {
            p.line("No alert was raised in the period.");
        } else {
            p.line(r.alertCount + " alerts; by status: " + counts(r.alertsByStatus) + "; by severity: "
                    + counts(r.alertsBySeverity) + "; " + r.transitions + " workflow transitions.");
            for (Map<String, Object> a : r.alerts) {
                p.line("#" + a.get("id") + " " + a.get("severity") + " " + a.get("title") + " (raised " + a.get("raisedAt")
                        + ", now " + a.get("status") + ")");
                if (a.get("transitions") instanceof List<?> ts) {
                    for (Object t : ts) {
                        if (t instanceof Map<?, ?> m) {
                            p.line("    " + m.get("from") + " -> " + m.get("to") + " by " + m.get("by") + ": " + m.get("comment"));
                        }
                    }
                }
            }
            if (r.alertCount > r.alerts.size()) {
                p.line("... and " + (r.alertCount - r.alerts.size()) + " more alerts: see report.json.");
            }
        }

        p.heading("Risk over the period");
        Object snapshots = r.risk.get("snapshots");
        if (snapshots == null || ((Long) snapshots) == 0) {
            p.line("No risk score was computed in the period.");
        } else {
            p.line(snapshots + " risk scores: min " + r.risk.get("min") + ", max " + r.risk.get("max") + ", average "
                    + r.risk.get("average") + ", last " + r.risk.get("last") + " at " + r.risk.get("lastAt"));
        }
    }

    private static String counts(Map<String, ? extends Object> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " " + (v instanceof BigDecimal d ? d.toPlainString() : v)));
        return String.join(", ", parts);
    }

    /** Lays text out top to bottom, wrapping lines and adding pages. */
    private static final class Pages {
        private final PDDocument document;
        private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
        private final PDType1Font mono = new PDType1Font(Standard14Fonts.FontName.COURIER);
        private PDPageContentStream stream;
        private float y;

        Pages(PDDocument document) throws IOException {
            this.document = document;
            newPage();
        }

        private void newPage() throws IOException {
            if (stream != null) {
                stream.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            stream = new PDPageContentStream(document, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void title(String text) throws IOException {
            write(text, bold, 16, 22);
        }

        void heading(String text) throws IOException {
            y -= 6;
            write(text, bold, 12, 17);
        }

        void line(String text) throws IOException {
            write(text, regular, 10, 13);
        }

        void mono(String text) throws IOException {
            write(text, mono, 8, 11);
        }

        private void write(String text, PDType1Font font, float size, float leading) throws IOException {
            for (String part : wrap(clean(text), font, size)) {
                if (y - leading < MARGIN) {
                    newPage();
                }
                y -= leading;
                stream.beginText();
                stream.setFont(font, size);
                stream.newLineAtOffset(MARGIN, y);
                stream.showText(part);
                stream.endText();
            }
        }

        private static List<String> wrap(String text, PDType1Font font, float size) throws IOException {
            List<String> lines = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (!line.isEmpty() && font.getStringWidth(candidate) / 1000 * size > WIDTH) {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(word);
                } else {
                    line.setLength(0);
                    line.append(candidate);
                }
            }
            lines.add(line.toString());
            return lines;
        }

        /** The standard 14 fonts encode WinAnsi only: anything else becomes '?'. */
        private static String clean(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                out.append((c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) ? c : '?');
            }
            return out.toString();
        }

        void close() throws IOException {
            stream.close();
        }
    }
}
