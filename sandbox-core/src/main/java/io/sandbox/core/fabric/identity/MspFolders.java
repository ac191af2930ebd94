package io.sandbox.core.fabric.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Writes the MSP folder layouts Fabric binaries read ({@code peer}, {@code orderer}, {@code configtxgen},
 * {@code osnadmin}). File names follow {@code cryptogen} where Fabric does not care and the brief where it
 * does: the CA certificate is always {@code msp/cacerts/ca.pem}, which {@code config.yaml} refers to.
 */
public final class MspFolders {

    /** The CA certificate path, relative to the MSP folder, that the NodeOU identifiers point at. */
    public static final String CA_CERT_FILE = "cacerts/ca.pem";

    /** The TLS CA certificate path, relative to the MSP folder. */
    public static final String TLS_CA_CERT_FILE = "tlscacerts/tlsca.pem";

    /** The private key file name in {@code msp/keystore}, as {@code cryptogen}. */
    public static final String KEYSTORE_FILE = "priv_sk";

    private static final String CONFIG_YAML = """
            NodeOUs:
              Enable: true
              ClientOUIdentifier:
                Certificate: %1$s
                OrganizationalUnitIdentifier: %2$s
              PeerOUIdentifier:
                Certificate: %1$s
                OrganizationalUnitIdentifier: %3$s
              AdminOUIdentifier:
                Certificate: %1$s
                OrganizationalUnitIdentifier: %4$s
              OrdererOUIdentifier:
                Certificate: %1$s
                OrganizationalUnitIdentifier: %5$s
            """.formatted(CA_CERT_FILE, NodeOuRole.CLIENT.organizationalUnit(), NodeOuRole.PEER.organizationalUnit(),
            NodeOuRole.ADMIN.organizationalUnit(), NodeOuRole.ORDERER.organizationalUnit());

    private MspFolders() {
    }

    /** The MSP {@code config.yaml} enabling NodeOUs, every identifier pointing at {@value #CA_CERT_FILE}. */
    public static String nodeOusConfigYaml() {
        return CONFIG_YAML;
    }

    /**
     * Writes the organisation-level MSP (the {@code MSPDir} of {@code configtx.yaml}): {@code msp/cacerts},
     * {@code msp/tlscacerts} and {@code msp/config.yaml}. Contains no private key.
     *
     * @return the {@code msp} folder
     */
    public static Path writeOrganisationMsp(OrganisationMaterial organisation, Path baseDir) {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(baseDir, "baseDir");
        Path msp = baseDir.resolve("msp");
        try {
            writeMspCommon(organisation, msp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write organisation MSP under " + baseDir, e);
        }
        return msp;
    }

    /**
     * Writes an identity's local MSP and TLS folders:
     * <pre>
     * msp/cacerts/ca.pem  msp/tlscacerts/tlsca.pem  msp/signcerts/&lt;name&gt;-cert.pem
     * msp/keystore/priv_sk  msp/config.yaml
     * tls/ca.crt  tls/server.crt  tls/server.key   (peers and orderers)
     * tls/ca.crt  tls/client.crt  tls/client.key   (admin and users, as cryptogen)
     * </pre>
     *
     * <p><strong>This is the one place that writes private keys unencrypted</strong> ({@code msp/keystore/priv_sk}
     * and the TLS key, as PKCS#8 PEM), because Fabric binaries cannot read anything else. Use it only for
     * folders handed to Fabric processes; the platform's own storage keeps keys sealed by {@link KeyVault}.
     * On POSIX file systems key files are created owner-read/write only.
     *
     * @return {@code baseDir}
     */
    public static Path writeLocalMsp(OrganisationMaterial organisation, FabricIdentity identity, Path baseDir) {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(baseDir, "baseDir");
        if (!identity.mspId().equals(organisation.mspId())) {
            throw new IllegalArgumentException(
                    "identity " + identity.name() + " belongs to " + identity.mspId() + ", not " + organisation.mspId());
        }
        try {
            Path msp = baseDir.resolve("msp");
            writeMspCommon(organisation, msp);
            write(msp.resolve("signcerts").resolve(identity.name() + "-cert.pem"), identity.signing().certificatePem());
            writeSecret(msp.resolve("keystore").resolve(KEYSTORE_FILE), Pem.privateKey(identity.signing().privateKey()));

            Path tls = baseDir.resolve("tls");
            String prefix = identity.role().isNode() ? "server" : "client";
            write(tls.resolve("ca.crt"), organisation.tlsCa().certificatePem());
            write(tls.resolve(prefix + ".crt"), identity.tls().certificatePem());
            writeSecret(tls.resolve(prefix + ".key"), Pem.privateKey(identity.tls().privateKey()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write local MSP of " + identity.name() + " under " + baseDir, e);
        }
        return baseDir;
    }

    private static void writeMspCommon(OrganisationMaterial organisation, Path msp) throws IOException {
        write(msp.resolve(CA_CERT_FILE), organisation.signingCa().certificatePem());
        write(msp.resolve(TLS_CA_CERT_FILE), organisation.tlsCa().certificatePem());
        write(msp.resolve("config.yaml"), CONFIG_YAML);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }

    private static void writeSecret(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        PosixFileAttributeView posix = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class);
        if (posix != null) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, content, StandardCharsets.US_ASCII);
    }
}
