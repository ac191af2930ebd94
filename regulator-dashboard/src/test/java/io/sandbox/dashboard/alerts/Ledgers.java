package io.sandbox.dashboard.alerts;

import static io.restassured.RestAssured.given;

import io.sandbox.dashboard.ingest.decode.DecodedBlock;
import io.sandbox.dashboard.ingest.decode.DecodedTransaction;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test ledgers: startups with permits set through the API, and chains of decoded blocks to store. */
public final class Ledgers {

    private Ledgers() {
    }

    /** A fresh startup name. */
    public static String startup(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The devnet's MSP convention. */
    public static String msp(String startup) {
        return Character.toUpperCase(startup.charAt(0)) + startup.substring(1).replace("-", "") + "MSP";
    }

    /** Sets a permit (EUR, max single value {@code maxSingle}) through the API as the regulator. */
    public static void permit(String startup, String maxSingle) {
        given().auth().oauth2(SandboxTestEnvironment.accessToken("regulator")).contentType("application/json")
                .body(Map.of("maxCustomers", 100, "maxSingleValue", maxSingle, "maxDailyVolume", "1000000",
                        "currency", "EUR", "allowedAssetTypes", List.of("TOKEN"), "testWindowStart", "2026-01-01",
                        "testWindowEnd", "2027-12-31", "reason", "pilot admitted", "mspId", msp(startup)))
                .when().put("/api/v1/startups/" + startup + "/permit").then().statusCode(200);
    }

    /** A valid payment of {@code amount} EUR endorsed by the startup. */
    public static DecodedTransaction payment(String startup, int index, String amount, Instant at) {
        String txId = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        String event = "[{\"type\":\"PAYMENT\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\",\"paymentId\":\"p-"
                + txId.substring(0, 8) + "\",\"from\":\"alice\",\"to\":\"bob\",\"timestamp\":\"" + at + "\"}]";
        return new DecodedTransaction(index, txId, at, "ENDORSER_TRANSACTION", msp(startup), "CN=user",
                List.of(msp(startup)), "sandbox", "payment", Map.of(), Map.of(), "VALID", "sandbox.v1", event,
                List.of(), null);
    }

    /** Blocks from {@code first} on, one per transaction, linked from {@code previous} (empty before block 0). */
    public static List<DecodedBlock> chain(String channel, long first, byte[] previous, List<DecodedTransaction> txs) {
        List<DecodedBlock> blocks = new ArrayList<>();
        byte[] prev = previous;
        long n = first;
        for (DecodedTransaction tx : txs) {
            byte[] header = sha(channel + "/" + n + "/" + tx.txId());
            blocks.add(new DecodedBlock(channel, n, header, prev, sha("data" + n), true,
                    List.of(new DecodedTransaction(0, tx.txId(), tx.timestamp(), tx.headerType(), tx.creatorMsp(),
                            tx.creatorSubject(), tx.endorserMsps(), tx.chaincode(), tx.function(), tx.reads(),
                            tx.writes(), tx.validationCode(), tx.eventName(), tx.reportingEvents(), tx.argDigests(),
                            tx.decodeError()))));
            prev = header;
            n++;
        }
        return blocks;
    }

    static byte[] sha(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
