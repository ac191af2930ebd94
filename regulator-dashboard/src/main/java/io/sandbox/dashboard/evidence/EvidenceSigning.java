package io.sandbox.dashboard.evidence;

import io.agroal.api.AgroalDataSource;
import io.sandbox.core.evidence.EvidenceKeys;
import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.core.fabric.identity.CertifiedKey;
import io.sandbox.core.fabric.identity.KeyVault;
import io.sandbox.core.fabric.identity.KeyVaultException;
import io.sandbox.core.web.Problem;
import io.sandbox.core.web.ProblemException;
import io.sandbox.dashboard.ingest.config.IngestionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The platform's evidence signing identity (root CA and signing certificate, ECDSA P-256): generated at first use,
 * stored with both keys sealed under the master key, loaded once per process.
 */
@ApplicationScoped
public class EvidenceSigning {

    static final String ROOT_LABEL = "evidence/root";
    static final String SIGNING_LABEL = "evidence/signing";

    private final IngestionConfig config;
    private final AgroalDataSource dataSource;
    private volatile EvidenceKeys keys;

    EvidenceSigning(IngestionConfig config, AgroalDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    /** The signer; generates and stores the identity on first use. */
    public ManifestSigner signer() {
        return keys().signer();
    }

    /** The root certificate auditors pin with {@code --trust-root}. */
    public X509Certificate root() {
        return keys().root().certificate();
    }

    private EvidenceKeys keys() {
        EvidenceKeys loaded = keys;
        if (loaded == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = loadOrCreate(vault());
                }
                loaded = keys;
            }
        }
        return loaded;
    }

    private KeyVault vault() {
        String master = config.masterKey().filter(k -> !k.isBlank()).orElseThrow(() -> new ProblemException(
                Problem.of("evidence-signing-unavailable", "Service Unavailable", 503,
                        "Evidence signing is not configured: the platform's master key (sandbox.fabric.master-key)"
                                + " is not set.")));
        return KeyVault.fromBase64MasterSecret(master);
    }

    private EvidenceKeys loadOrCreate(KeyVault vault) {
        try (Connection c = dataSource.getConnection()) {
            EvidenceKeys stored = load(c, vault);
            if (stored != null) {
                return stored;
            }
            EvidenceKeys fresh = EvidenceKeys.generate("Sandbox platform", Instant.now());
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into evidence_signing_key (id, root_certificate, signing_certificate, root_key_sealed,
                        signing_key_sealed) values (1, ?, ?, ?, ?) on conflict (id) do nothing""")) {
                insert.setString(1, fresh.root().certificatePem());
                insert.setString(2, fresh.signing().certificatePem());
                insert.setBytes(3, vault.seal(fresh.root().privateKey(), ROOT_LABEL));
                insert.setBytes(4, vault.seal(fresh.signing().privateKey(), SIGNING_LABEL));
                insert.executeUpdate();
            }
            // another instance may have won the race: use what is stored
            return load(c, vault);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the evidence signing key: " + e.getMessage(), e);
        } catch (KeyVaultException e) {
            throw new ProblemException(Problem.of("evidence-signing-unavailable", "Service Unavailable", 503,
                    "The stored evidence signing key cannot be opened with the configured master key"
                            + " (sandbox.fabric.master-key was changed?); restore the master key it was sealed under."), e);
        }
    }

    private static EvidenceKeys load(Connection c, KeyVault vault) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("""
                select root_certificate, signing_certificate, root_key_sealed, signing_key_sealed
                from evidence_signing_key where id = 1"""); ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            return new EvidenceKeys(
                    new CertifiedKey(ManifestSigner.parsePem(row.getString(1)), vault.open(row.getBytes(3), ROOT_LABEL)),
                    new CertifiedKey(ManifestSigner.parsePem(row.getString(2)), vault.open(row.getBytes(4), SIGNING_LABEL)));
        }
    }
}
