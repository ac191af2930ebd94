package io.sandbox.dashboard.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sandbox.dashboard.testing.StartupContracts;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.fabric.FabricNetwork.StartupSandbox;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.junit.jupiter.api.Test;

/** Ingestion end to end: transactions submitted through fabric-gateway on a real devnet, read back through the API. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class IngestionTest {

    private static final Duration EVENTUALLY = Duration.ofSeconds(90);

    @Test
    void submittedTransactionAppearsDecodedWithItsReportingEvent() throws Exception {
        StartupSandbox acme = FabricTestNetwork.network().provision("acme");
        String customer = "cust-" + UUID.randomUUID().toString().substring(0, 8);
        String txId = StartupContracts.with(acme, contract -> {
            Status status = contract.newProposal("onboardCustomer").addArguments(customer, "DE", "LOW").build()
                    .endorse().submitAsync().getStatus();
            assertThat(status.isSuccessful()).isTrue();
            return status.getTransactionId();
        });

        JsonPath tx = awaitTransaction(txId);

        assertThat(tx.getString("channel")).isEqualTo("sandbox-acme");
        assertThat(tx.getString("headerType")).isEqualTo("ENDORSER_TRANSACTION");
        assertThat(tx.getString("chaincode")).isEqualTo("sandbox");
        assertThat(tx.getString("function")).isEqualTo("onboardCustomer");
        assertThat(tx.getString("creatorMsp")).isEqualTo("AcmeMSP");
        assertThat(tx.getString("creatorSubject")).contains("CN=");
        assertThat(tx.getList("endorserMsps", String.class)).contains("AcmeMSP");
        assertThat(tx.getString("validationCode")).isEqualTo("VALID");
        assertThat(tx.getString("eventName")).isEqualTo("sandbox.v1");
        assertThat(tx.getString("reportingEvents[0].type")).isEqualTo("CUSTOMER_ONBOARDED");
        assertThat(tx.getString("reportingEvents[0].customerRef")).isEqualTo(customer);
        assertThat(tx.getString("reportingEvents[0].txId")).isEqualTo(txId);
        assertThat(tx.getMap("writes")).containsKey("sandbox");
        assertThat(tx.getList("writes.sandbox", String.class)).anyMatch(k -> k.contains(customer));
        assertThat(tx.getList("argDigests", String.class)).hasSize(3).doesNotContain(customer, "DE", "LOW");
        assertThat(tx.getString("blockHeaderHash")).matches("[0-9a-f]{64}");

        JsonPath blocks = given().auth().oauth2(token("auditor"))
                .queryParam("from", tx.getLong("blockNumber")).queryParam("limit", 1)
                .when().get("/api/v1/channels/sandbox-acme/blocks")
                .then().statusCode(200).extract().jsonPath();
        assertThat(blocks.getString("blocks[0].headerHash")).isEqualTo(tx.getString("blockHeaderHash"));
    }

    @Test
    void blocksLinkFromTheGenesisBlockOn() {
        await().atMost(EVENTUALLY).untilAsserted(() -> given().auth().oauth2(token("regulator"))
                .when().get("/api/v1/channels/sandbox-beta/blocks?from=0&limit=3")
                .then().statusCode(200).body("blocks.size()", equalTo(3)));
        JsonPath blocks = given().auth().oauth2(token("regulator"))
                .when().get("/api/v1/channels/sandbox-beta/blocks?from=0&limit=3")
                .then().extract().jsonPath();
        assertThat(blocks.getString("blocks[0].previousHash")).isEmpty();
        assertThat(blocks.getString("blocks[1].previousHash")).isEqualTo(blocks.getString("blocks[0].headerHash"));
        assertThat(blocks.getString("blocks[2].previousHash")).isEqualTo(blocks.getString("blocks[1].headerHash"));
    }

    @Test
    void channelProvisionedLaterIsIngestedWithoutARestart() {
        FabricTestNetwork.network().provision("gamma");

        await().atMost(EVENTUALLY).untilAsserted(() -> {
            JsonPath channels = given().auth().oauth2(token("regulator")).when().get("/api/v1/channels")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(channels.getString("ingestion")).isEqualTo("ON");
            Map<String, Object> gamma = channels.getMap("channels.find { it.channel == 'sandbox-gamma' }");
            assertThat(gamma).isNotNull();
            assertThat(((Number) gamma.get("ingestedHeight")).longValue()).isPositive();
            assertThat(gamma.get("ingestedHeight")).isEqualTo(gamma.get("peerHeight"));
            assertThat(gamma.get("lag")).isEqualTo(0);
            assertThat(gamma.get("status")).isEqualTo("RUNNING");
        });
    }

    @Test
    void conflictingPairIsStoredWithOneValidAndOneMvccReadConflict() throws Exception {
        StartupSandbox acme = FabricTestNetwork.network().provision("acme");
        String customer = "cust-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = StartupContracts.with(acme, contract -> {
            Transaction first = contract.newProposal("onboardCustomer").addArguments(customer, "FR", "HIGH").build()
                    .endorse();
            Transaction second = contract.newProposal("onboardCustomer").addArguments(customer, "FR", "HIGH").build()
                    .endorse();
            SubmittedTransaction a = first.submitAsync();
            SubmittedTransaction b = second.submitAsync();
            List<String> codes = List.of(a.getStatus().getCode().name(), b.getStatus().getCode().name());
            assertThat(codes).containsExactlyInAnyOrder("VALID", "MVCC_READ_CONFLICT");
            return List.of(a.getTransactionId(), b.getTransactionId());
        });

        List<String> stored = ids.stream().map(id -> awaitTransaction(id).getString("validationCode")).toList();

        assertThat(stored).containsExactlyInAnyOrder("VALID", "MVCC_READ_CONFLICT");
        await().atMost(EVENTUALLY).untilAsserted(() -> given().auth().oauth2(token("regulator"))
                .when().get("/api/v1/channels")
                .then().statusCode(200)
                .body("channels.find { it.channel == 'sandbox-acme' }.invalidCount", not(equalTo(0))));
    }

    @Test
    void lagAndThroughputAreExportedPerChannel() {
        await().atMost(EVENTUALLY).untilAsserted(() -> given().when().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("sandbox_ingestion_lag{channel=\"sandbox-beta\"}"))
                .body(containsString("sandbox_ingestion_blocks_total{channel=\"sandbox-beta\"}"))
                .body(containsString("sandbox_ingestion_transactions_total{channel=\"sandbox-beta\"}"))
                .body(containsString("sandbox_ingestion_block_seconds_count{channel=\"sandbox-beta\"}")));
    }

    @Test
    void unknownTransactionAndChannelGet404Problems() {
        given().auth().oauth2(token("regulator")).when().get("/api/v1/transactions/no-such-tx")
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("Transaction 'no-such-tx' does not exist or is not visible to you."));
        given().auth().oauth2(token("regulator")).when().get("/api/v1/channels/no-such-channel/blocks")
                .then().statusCode(404).contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void badPagingParametersGet400Problems() {
        for (String query : List.of("limit=abc", "limit=0", "limit=1001", "from=-1", "from=x")) {
            given().auth().oauth2(token("regulator")).when().get("/api/v1/channels/sandbox-acme/blocks?" + query)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("detail", containsString("Query parameter"))
                    .body(not(containsString("Exception")));
        }
    }

    @Test
    void startupsAreRefusedTheLedgerApi() {
        for (String path : List.of("/api/v1/channels", "/api/v1/channels/sandbox-acme/blocks",
                "/api/v1/transactions/x")) {
            given().auth().oauth2(token("startup")).when().get(path)
                    .then().statusCode(403).contentType("application/problem+json");
        }
        given().when().get("/api/v1/channels").then().statusCode(401);
        given().accept("application/json").when().get("/q/openapi")
                .then().body("paths.keySet()", hasItem("/api/v1/channels"));
    }

    private static JsonPath awaitTransaction(String txId) {
        await().atMost(EVENTUALLY).untilAsserted(() -> given().auth().oauth2(token("regulator"))
                .when().get("/api/v1/transactions/" + txId).then().statusCode(200));
        return given().auth().oauth2(token("regulator")).when().get("/api/v1/transactions/" + txId)
                .then().statusCode(200).extract().jsonPath();
    }

    private static String token(String user) {
        return SandboxTestEnvironment.accessToken(user);
    }
}
