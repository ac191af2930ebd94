package io.sandbox.onboarding.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentTypeTest {

    static final byte[] PDF = "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F'};

    @Test
    void recognisesPdfPngAndJpegByTheirLeadingBytes() {
        assertThat(DocumentType.sniff(PDF)).contains(DocumentType.PDF);
        assertThat(DocumentType.sniff(PNG)).contains(DocumentType.PNG);
        assertThat(DocumentType.sniff(JPEG)).contains(DocumentType.JPEG);
    }

    @Test
    void otherContentIsNotRecognisedWhateverItsName() {
        assertThat(DocumentType.sniff("MZ\u0090\u0000".getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
        assertThat(DocumentType.sniff("<html>%PDF-".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(DocumentType.sniff("PK\u0003\u0004".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(DocumentType.sniff(new byte[] {(byte) 0x89, 'P', 'N'})).isEmpty();
        assertThat(DocumentType.sniff(new byte[0])).isEmpty();
    }

    @Test
    void aDeclaredTypeMustNotContradictTheContent() {
        assertThat(DocumentType.PDF.agreesWith("application/pdf")).isTrue();
        assertThat(DocumentType.PDF.agreesWith("application/octet-stream")).isTrue();
        assertThat(DocumentType.PDF.agreesWith(null)).isTrue();
        assertThat(DocumentType.JPEG.agreesWith("image/jpeg; charset=binary")).isTrue();
        assertThat(DocumentType.PDF.agreesWith("image/png")).isFalse();
        assertThat(DocumentType.PNG.agreesWith("text/html")).isFalse();
    }
}
