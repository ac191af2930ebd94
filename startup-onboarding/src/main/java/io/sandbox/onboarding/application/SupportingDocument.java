package io.sandbox.onboarding.application;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/** A document an applicant uploaded, kept with its SHA-256. */
@Entity
@Table(name = "supporting_document")
public class SupportingDocument extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "application_id", nullable = false)
    public UUID applicationId;

    @Column(nullable = false)
    public int position;

    @Column(name = "file_name", nullable = false)
    public String fileName;

    @Column(name = "media_type", nullable = false)
    public String mediaType;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false)
    public byte[] sha256;

    @Basic(fetch = FetchType.LAZY)
    @Column(nullable = false)
    public byte[] content;

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    public static List<SupportingDocument> of(UUID applicationId) {
        return list("applicationId = ?1 order by position", applicationId);
    }
}
