package io.sandbox.dashboard.evidence;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.sandbox.core.evidence.BundleFormat;
import io.sandbox.core.evidence.BundleVerification;
import io.sandbox.core.evidence.BundleVerifier;
import io.sandbox.core.evidence.Json;
import io.sandbox.core.evidence.Manifest;
import io.sandbox.core.evidence.ManifestSigner;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Evidence bundles exported through the API from a real devnet's ingested ledger, verified offline. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class EvidenceExportTest {

    private static String token(String user) {
        return SandboxTestEnvironment.accessToken(user);
    }

    private static X509Certificate signingRoot(String user) {
        String pem = given().auth().oauth2(token(user)).when().get("/api/v1/evidence/signing-root")
                .then().statusCode(200).contentType("application/x-pem-file").extract().asString();
        return ManifestSigner.parsePem(pem);
    }

    private static String path(String startup) {
        return "/api/v1/startups/" + startup + "/evidence";
    }

    @Test
    void auditorExportsABundleThatVerifiesOfflineWithItsPdfReadable() throws Exception {
        EvidenceTestData.Pilot pilot = EvidenceTestData.pilot();

        Response response = given().auth().oauth2(token("auditor"))
                .queryParam("from", pilot.from().toString()).queryParam("to", pilot.to().toString())
                .when().get(path(EvidenceTestData.STARTUP));

        response.then().statusCode(200).contentType("application/zip")
                .header("Content-Disposition", containsString("attachment; filename=\"evidence-evidence-"));
        byte[] zip = response.asByteArray();
        Path file = EvidenceTestData.save(zip, "auditor-export.zip");
        BundleVerification result = BundleVerifier.verify(file, signingRoot("auditor"));
        assertThat(result.failure()).isEmpty();
        assertThat(result.transactions()).isGreaterThanOrEqualTo(pilot.txIds().size());
        assertThat(result.blocks()).isGreaterThanOrEqualTo(1);
        assertThat(result.verified()).anyMatch(line -> line.startsWith("anchor header: block "));

        Map<String, byte[]> entries = EvidenceTestData.entries(zip);
        assertThat(entries).containsKeys(BundleFormat.ANCHOR_HEADER, BundleFormat.TRANSACTIONS_CSV,
                BundleFormat.REPORT_JSON, BundleFormat.REPORT_PDF);
        assertThat(entries.keySet()).last().isEqualTo(BundleFormat.MANIFEST);
        String csv = new String(entries.get(BundleFormat.TRANSACTIONS_CSV), StandardCharsets.UTF_8);
        for (String txId : pilot.txIds()) {
            assertThat(csv).contains("," + txId + ",");
        }
        assertThat(csv).contains(",TRANSFER,40.25,EUR,DEPOSIT_TOKEN,").contains(",ASSET_ISSUED,1000.50,EUR,");

        Map<?, ?> report = (Map<?, ?>) Json.parse(new String(entries.get(BundleFormat.REPORT_JSON), StandardCharsets.UTF_8));
        Map<?, ?> summary = (Map<?, ?>) report.get("summary");
        assertThat(((Map<?, ?>) summary.get("chainVerification")).get("result")).isEqualTo("VERIFIED");
        assertThat(((Map<?, ?>) summary.get("validVolumeByCurrency")).get("EUR")).isNotNull();
        assertThat(((Map<?, ?>) summary.get("risk")).get("max").toString()).isEqualTo("40.25");
        assertThat((List<?>) report.get("alerts")).anyMatch(a -> pilot.alertTitle().equals(((Map<?, ?>) a).get("title")));

        String text;
        try (PDDocument pdf = Loader.loadPDF(entries.get(BundleFormat.REPORT_PDF))) {
            text = new PDFTextStripper().getText(pdf);
        }
        assertThat(text).contains("Evidence report: Evidence Test Pilot")
                .contains("channel sandbox-evidence")
                .contains("Result: VERIFIED")
                .contains("last header hash   " + result.lastHeaderHash())
                .contains("Version 1, set by regulator")
                .contains(pilot.alertTitle())
                .contains("OPEN -> ACKNOWLEDGED by regulator: checked with the startup")
                // the test's own snapshots reach 40.25; ingestion adds the startup's live (lower) scores beside them
                .contains("max 40.25")
                .contains("ASSET_ISSUED 1").contains("TRANSFER 1");

        Manifest manifest = Manifest.parse(entries.get(BundleFormat.MANIFEST));
        String manifestSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(entries.get(BundleFormat.MANIFEST)));
        try (Connection c = EvidenceTestData.connect(); PreparedStatement s = c.prepareStatement("""
                select actor, details::text from audit_event where action = 'evidence.exported'
                and subject = 'startup/evidence' and details->>'manifestSha256' = ?""")) {
            s.setString(1, manifestSha);
            try (ResultSet r = s.executeQuery()) {
                assertThat(r.next()).as("the export is in the audit log").isTrue();
                assertThat(r.getString(1)).isEqualTo("auditor");
                Map<?, ?> details = (Map<?, ?>) Json.parse(r.getString(2));
                assertThat(details.get("transactions")).isEqualTo(manifest.transactions());
                assertThat(details.get("from")).isEqualTo(pilot.from().toString());
            }
        }
    }

    @Test
    void aStartupExportsItsOwnButNotAnothersAndRegulatorsExportAny() throws Exception {
        EvidenceTestData.pilot();
        // the demo startup user's tenant claim is demo-startup
        EvidenceTestData.execute("insert into startup (name, channel, display_name) values ('demo-startup',"
                + " 'sandbox-demo-startup', 'Demo startup') on conflict do nothing");

        Response own = given().auth().oauth2(token("startup")).queryParam("from", "2026-01-01")
                .queryParam("to", "2026-12-31").when().get(path("demo-startup"));
        own.then().statusCode(200).contentType("application/zip");
        BundleVerification ownResult = BundleVerifier.verify(EvidenceTestData.save(own.asByteArray(), "own.zip"),
                signingRoot("startup"));
        assertThat(ownResult.failure()).isEmpty();

        given().auth().oauth2(token("startup")).queryParam("from", "2026-01-01").queryParam("to", "2026-12-31")
                .when().get(path(EvidenceTestData.STARTUP))
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Startup 'evidence' does not exist or is not visible to you."));

        given().auth().oauth2(token("regulator")).queryParam("from", "2026-01-01").queryParam("to", "2026-12-31")
                .when().get(path(EvidenceTestData.STARTUP))
                .then().statusCode(200).contentType("application/zip");
        given().auth().oauth2(token("auditor")).queryParam("from", "2026-01-01").queryParam("to", "2026-12-31")
                .when().get(path("no-such-startup"))
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Startup 'no-such-startup' does not exist or is not visible to you."));
        given().queryParam("from", "2026-01-01").queryParam("to", "2026-12-31")
                .when().get(path(EvidenceTestData.STARTUP))
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void badPeriodsGet400ProblemsNamingTheField() {
        record Case(String from, String to, String field, String message) {
        }
        List<Case> cases = List.of(
                new Case(null, "2026-03-02", "from", "is required"),
                new Case("2026-03-01", null, "to", "is required"),
                new Case("yesterday", "2026-03-02", "from", "must be an ISO date"),
                new Case("2026-03-01", "2026-13-45", "to", "must be an ISO date"),
                new Case("2026-03-05T00:00:00Z", "2026-03-01T00:00:00Z", "to", "must be after 'from'"),
                new Case("2024-01-01", "2026-01-01", "to", "at most 366 days"));
        for (Case c : cases) {
            var request = given().auth().oauth2(token("auditor"));
            if (c.from() != null) {
                request = request.queryParam("from", c.from());
            }
            if (c.to() != null) {
                request = request.queryParam("to", c.to());
            }
            request.when().get(path(EvidenceTestData.STARTUP))
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("errors.field", hasItem(c.field()))
                    .body("errors.find { it.field == '" + c.field() + "' }.message", containsString(c.message()));
        }
    }

    @Test
    void theSigningRootIsStableAndTheApiIsDocumented() throws Exception {
        EvidenceTestData.pilot();
        assertThat(signingRoot("auditor")).isEqualTo(signingRoot("regulator"));
        given().accept("application/json").when().get("/q/openapi")
                .then().body("paths.keySet()", hasItem("/api/v1/startups/{startup}/evidence"));
    }
}
