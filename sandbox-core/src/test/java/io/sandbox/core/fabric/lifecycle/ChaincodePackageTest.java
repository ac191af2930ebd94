package io.sandbox.core.fabric.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaincodePackageTest {

    static final String CONNECTION = "{\"address\":\"asset:9999\",\"dial_timeout\":\"10s\",\"tls_required\":false}";

    @Test
    void buildParseRoundTripAndPackageId() throws Exception {
        ChaincodePackage built = ChaincodePackage.ccaas("asset_1.0", CONNECTION);
        ChaincodePackage again = ChaincodePackage.ccaas("asset_1.0", CONNECTION);
        assertThat(again.bytes()).isEqualTo(built.bytes()); // deterministic

        ChaincodePackage parsed = ChaincodePackage.parse(built.bytes());
        assertThat(parsed.label()).isEqualTo("asset_1.0");
        assertThat(parsed.type()).isEqualTo("ccaas");
        assertThat(parsed.path()).isEmpty();
        assertThat(parsed.isCcaas()).isTrue();
        assertThat(parsed.connectionJson()).isEqualTo(CONNECTION);

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(built.bytes()));
        assertThat(parsed.packageId()).isEqualTo("asset_1.0:" + sha).isEqualTo(built.packageId());
        assertThat(ChaincodePackage.packageId("x", "abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("x:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        Map<String, byte[]> top = ChaincodePackage.untarGz(built.bytes(), false);
        assertThat(top.keySet()).containsExactly("metadata.json", "code.tar.gz");
        assertThat(new String(top.get("metadata.json"), StandardCharsets.UTF_8))
                .isEqualTo("{\"path\":\"\",\"type\":\"ccaas\",\"label\":\"asset_1.0\"}");
    }

    @Test
    void parsesMetadataLikeGo() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("metadata.json", "{\"Type\":\"CCAAS\",\"LABEL\":\"a-b\",\"extra\":1}".getBytes(StandardCharsets.UTF_8));
        files.put("code.tar.gz", ChaincodePackage.tarGz(Map.of("connection.json", CONNECTION.getBytes(StandardCharsets.UTF_8))));
        files.put("README", new byte[] {1});
        ChaincodePackage p = ChaincodePackage.parse(ChaincodePackage.tarGz(files));
        assertThat(p.label()).isEqualTo("a-b");
        assertThat(p.isCcaas()).isTrue();
        assertThat(p.connectionJson()).isEqualTo(CONNECTION);
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> ChaincodePackage.parse("nope".getBytes()))
                .hasMessageStartingWith("error reading as gzip stream");
        assertThatThrownBy(() -> ChaincodePackage.parse(ChaincodePackage.tarGz(Map.of("metadata.json",
                "{\"type\":\"ccaas\",\"label\":\"x\"}".getBytes()))))
                .hasMessage("did not find a code package inside the package");
        assertThatThrownBy(() -> ChaincodePackage.parse(ChaincodePackage.tarGz(Map.of("code.tar.gz", new byte[] {1}))))
                .hasMessage("did not find any package metadata (missing metadata.json)");
        Map<String, byte[]> badJson = new LinkedHashMap<>();
        badJson.put("metadata.json", "{".getBytes());
        badJson.put("code.tar.gz", new byte[] {1});
        assertThatThrownBy(() -> ChaincodePackage.parse(ChaincodePackage.tarGz(badJson)))
                .hasMessageStartingWith("could not unmarshal metadata.json as json");
        assertThatThrownBy(() -> ChaincodePackage.ccaas("_bad", CONNECTION))
                .hasMessageStartingWith("invalid label '_bad'. Label must be non-empty");
        Map<String, byte[]> golang = new LinkedHashMap<>();
        golang.put("metadata.json", "{\"path\":\"x\",\"type\":\"golang\",\"label\":\"g\"}".getBytes());
        golang.put("code.tar.gz", ChaincodePackage.tarGz(Map.of("src/x.go", new byte[] {1})));
        ChaincodePackage go = ChaincodePackage.parse(ChaincodePackage.tarGz(golang));
        assertThatThrownBy(go::connectionJson)
                .hasMessage("chaincode type 'golang' is not supported by the devnet: external builders only for ccaas");
        ChaincodePackage noConn = ChaincodePackage.parse(ChaincodePackage.tarGz(Map.of("metadata.json",
                "{\"type\":\"ccaas\",\"label\":\"c\"}".getBytes(), "code.tar.gz",
                ChaincodePackage.tarGz(Map.of("other.json", new byte[] {1})))));
        assertThatThrownBy(noConn::connectionJson).hasMessageStartingWith("connection.json not found in code.tar.gz");
    }
}
