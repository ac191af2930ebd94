package io.sandbox.onboarding.review;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The boundaries of an admitted startup's pilot, set by the regulator at approval. */
@Entity
@Table(name = "permit")
public class Permit extends PanacheEntityBase {

    @Id
    @Column(name = "application_id")
    public UUID applicationId;

    @Column(name = "max_customers", nullable = false)
    public int maxCustomers;

    @Column(name = "max_single_transaction", nullable = false)
    public BigDecimal maxSingleTransaction;

    @Column(name = "max_daily_volume", nullable = false)
    public BigDecimal maxDailyVolume;

    @Column(nullable = false)
    public String currency;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "allowed_asset_types", nullable = false)
    public String[] allowedAssetTypes;

    @Column(name = "test_window_start", nullable = false)
    public LocalDate testWindowStart;

    @Column(name = "test_window_end", nullable = false)
    public LocalDate testWindowEnd;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "issued_by", nullable = false)
    public String issuedBy;

    public PermitTerms terms() {
        return new PermitTerms(maxCustomers, maxSingleTransaction, maxDailyVolume, currency, List.of(allowedAssetTypes),
                testWindowStart, testWindowEnd);
    }
}
