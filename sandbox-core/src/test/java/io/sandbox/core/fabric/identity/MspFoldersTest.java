package io.sandbox.core.fabric.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.hyperledger.fabric.client.identity.Identities;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MspFoldersTest {

    private static final String EXPECTED_CONFIG_YAML = """
            NodeOUs:
              Enable: true
              ClientOUIdentifier:
                Certificate: cacerts/ca.pem
                OrganizationalUnitIdentifier: client
              PeerOUIdentifier:
                Certificate: cacerts/ca.pem
                OrganizationalUnitIdentifier: peer
              AdminOUIdentifier:
                Certificate: cacerts/ca.pem
                OrganizationalUnitIdentifier: admin
              OrdererOUIdentifier:
                Certificate: cacerts/ca.pem
                OrganizationalUnitIdentifier: orderer
            """;

    private static OrganisationMaterial org;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        org = OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("Org1MSP", "org1.sandbox.test", "peer0"));
    }

    @Test
    void configYamlEnablesNodeOusAgainstTheCaCertificate() {
        assertThat(MspFolders.nodeOusConfigYaml()).isEqualTo(EXPECTED_CONFIG_YAML);
    }

    @Test
    void peerLocalMspHasFabricLayout() throws Exception {
        FabricIdentity peer = org.peers().get(0);

        MspFolders.writeLocalMsp(org, peer, dir);

        assertThat(files(dir)).containsExactlyInAnyOrder(
                "msp/cacerts/ca.pem",
                "msp/tlscacerts/tlsca.pem",
                "msp/signcerts/peer0.org1.sandbox.test-cert.pem",
                "msp/keystore/priv_sk",
                "msp/config.yaml",
                "tls/ca.crt",
                "tls/server.crt",
                "tls/server.key");
        assertThat(Files.readString(dir.resolve("msp/config.yaml"))).isEqualTo(EXPECTED_CONFIG_YAML);
        assertThat(cert(dir.resolve("msp/cacerts/ca.pem"))).isEqualTo(org.signingCa().certificate());
        assertThat(cert(dir.resolve("msp/tlscacerts/tlsca.pem"))).isEqualTo(org.tlsCa().certificate());
        assertThat(cert(dir.resolve("msp/signcerts/peer0.org1.sandbox.test-cert.pem")))
                .isEqualTo(peer.signing().certificate());
        assertThat(cert(dir.resolve("tls/ca.crt"))).isEqualTo(org.tlsCa().certificate());
        assertThat(cert(dir.resolve("tls/server.crt"))).isEqualTo(peer.tls().certificate());

        String keystore = Files.readString(dir.resolve("msp/keystore/priv_sk"));
        assertThat(keystore).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Identities.readPrivateKey(keystore).getEncoded()).isEqualTo(peer.signing().privateKey().getEncoded());
        assertThat(Identities.readPrivateKey(Files.readString(dir.resolve("tls/server.key"))).getEncoded())
                .isEqualTo(peer.tls().privateKey().getEncoded());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("msp/keystore/priv_sk"))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls/server.key"))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void adminLocalMspUsesTlsClientFiles() throws Exception {
        MspFolders.writeLocalMsp(org, org.admin(), dir);

        assertThat(files(dir)).contains("msp/signcerts/Admin@org1.sandbox.test-cert.pem", "msp/keystore/priv_sk",
                "tls/ca.crt", "tls/client.crt", "tls/client.key").doesNotContain("tls/server.crt");
        assertThat(cert(dir.resolve("tls/client.crt"))).isEqualTo(org.admin().tls().certificate());
    }

    @Test
    void rewritingReplacesKeys() throws Exception {
        MspFolders.writeLocalMsp(org, org.admin(), dir);
        MspFolders.writeLocalMsp(org, org.admin(), dir);

        assertThat(Identities.readPrivateKey(Files.readString(dir.resolve("msp/keystore/priv_sk"))).getEncoded())
                .isEqualTo(org.admin().signing().privateKey().getEncoded());
    }

    @Test
    void organisationMspHasNoKeys() throws Exception {
        Path msp = MspFolders.writeOrganisationMsp(org, dir);

        assertThat(msp).isEqualTo(dir.resolve("msp"));
        assertThat(files(dir)).containsExactlyInAnyOrder("msp/cacerts/ca.pem", "msp/tlscacerts/tlsca.pem", "msp/config.yaml");
    }

    @Test
    void refusesAnIdentityOfAnotherOrganisation() {
        var other = OrganisationMaterial.generate(OrganisationSpec.peerOrganisation("Org2MSP", "org2.sandbox.test"));

        assertThatThrownBy(() -> MspFolders.writeLocalMsp(org, other.admin(), dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Org2MSP");
    }

    private static java.security.cert.X509Certificate cert(Path file) throws Exception {
        return Identities.readX509Certificate(Files.readString(file));
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).toList();
        }
    }
}
