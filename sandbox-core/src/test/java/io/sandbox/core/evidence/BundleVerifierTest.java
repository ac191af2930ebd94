package io.sandbox.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles built from synthetic blocks verify, and every kind of tampering fails with its exact reason. */
class BundleVerifierTest {

    private static EvidenceKeys platform;
    private static EvidenceKeys attacker;
    private static List<Block> chain;
    private static Map<String, byte[]> bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() throws IOException {
        platform = EvidenceKeys.generate("Test platform", Instant.parse("2026-03-01T00:00:00Z"));
        attacker = EvidenceKeys.generate("Test platform", Instant.parse("2026-03-01T00:00:00Z"));
        chain = EvidenceFixture.chain(7, 4);
        bundle = EvidenceFixture.bundle(chain, 2, platform.signer());
    }

    private BundleVerification verify(Map<String, byte[]> entries) throws IOException {
        return verify(entries, null);
    }

    private BundleVerification verify(Map<String, byte[]> entries, EvidenceKeys pinned) throws IOException {
        Path file = EvidenceFixture.write(entries, Files.createTempFile(dir, "bundle", ".zip"));
        return BundleVerifier.verify(file, pinned == null ? null : pinned.root().certificate());
    }

    @Test
    void aBundleVerifiesAndSaysWhatItChecked() throws IOException {
        BundleVerification result = verify(bundle, platform);

        assertThat(result.failure()).isEmpty();
        assertThat(result.valid()).isTrue();
        assertThat(result.blocks()).isEqualTo(5);
        assertThat(result.transactions()).isEqualTo(20);
        assertThat(result.files()).isEqualTo(bundle.size() - 1);
        assertThat(result.rootFingerprint()).isEqualTo(ManifestSigner.fingerprint(platform.root().certificate()));
        assertThat(result.lastHeaderHash()).isEqualTo(io.sandbox.core.fabric.block.BlockHashes.hex(
                io.sandbox.core.fabric.block.BlockHashes.headerHash(chain.get(6).getHeader())));
        assertThat(String.join("\n", result.verified()))
                .contains("matches the pinned trust root")
                .contains("anchor header: block 1")
                .contains("blocks 2 to 6 (5 blocks)")
                .contains("all 20 transactions");
        assertThat(bundle.keySet()).containsSequence("ledger/anchor-header", "ledger/blocks/2.block")
                .endsWith(BundleFormat.MANIFEST);
    }

    @Test
    void aBundleFromTheGenesisBlockHasNoAnchorAndVerifies() throws IOException {
        Map<String, byte[]> genesis = EvidenceFixture.bundle(chain, 0, platform.signer());

        BundleVerification result = verify(genesis, platform);

        assertThat(result.failure()).isEmpty();
        assertThat(genesis).doesNotContainKey(BundleFormat.ANCHOR_HEADER);
        assertThat(result.verified()).anyMatch(l -> l.contains("no anchor: the extract starts at the genesis block 0"));
        assertThat(result.transactions()).isEqualTo(25);
    }

    @Test
    void changingAnySingleByteOfAnyFileFailsNamingThatFile() throws IOException {
        for (Map.Entry<String, byte[]> file : bundle.entrySet()) {
            byte[] content = file.getValue();
            for (int position : new int[] {0, content.length / 3, content.length / 2, content.length - 1}) {
                Map<String, byte[]> tampered = new LinkedHashMap<>(bundle);
                byte[] changed = content.clone();
                changed[position] ^= 0x01;
                tampered.put(file.getKey(), changed);

                BundleVerification result = verify(tampered, platform);

                String where = file.getKey() + " byte " + position;
                assertThat(result.valid()).as(where).isFalse();
                if (file.getKey().equals(BundleFormat.MANIFEST)) {
                    assertThat(result.failure().get()).as(where).startsWith("manifest.json: ");
                } else {
                    assertThat(result.failure().get()).as(where)
                            .startsWith(file.getKey() + ": SHA-256 mismatch, the manifest says");
                }
            }
        }
    }

    @Test
    void flippingASignedValueOfTheManifestFailsTheSignature() throws IOException {
        String text = new String(bundle.get(BundleFormat.MANIFEST), StandardCharsets.UTF_8);
        Map<String, byte[]> tampered = new LinkedHashMap<>(bundle);
        tampered.put(BundleFormat.MANIFEST, text.replace("\"createdBy\":\"auditor\"", "\"createdBy\":\"auditos\"")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(verify(tampered).failure()).hasValueSatisfying(
                f -> assertThat(f).startsWith("manifest.json: the signature does not match the manifest's content"));
    }

    @Test
    void aRemovedBlockFails() throws IOException {
        Map<String, byte[]> removed = new LinkedHashMap<>(bundle);
        removed.remove("ledger/blocks/4.block");

        assertThat(verify(removed).failure()).hasValue(
                "ledger/blocks/4.block: listed in the manifest but missing from the bundle");
        assertTamperingFails(removed, UnaryOperator.identity(),
                "ledger/blocks/5.block (position 2 in the extract): block 5: NUMBER mismatch, expected 4 but was 5"
                        + " (previous block 3)");
    }

    @Test
    void twoSwappedBlocksFail() throws IOException {
        Map<String, byte[]> swapped = new LinkedHashMap<>(bundle);
        swapped.put("ledger/blocks/3.block", bundle.get("ledger/blocks/4.block"));
        swapped.put("ledger/blocks/4.block", bundle.get("ledger/blocks/3.block"));

        assertThat(verify(swapped).failure().get()).startsWith("ledger/blocks/3.block: SHA-256 mismatch");
        assertTamperingFails(swapped, UnaryOperator.identity(),
                "ledger/blocks/3.block (position 1 in the extract): block 4: NUMBER mismatch, expected 3 but was 4"
                        + " (previous block 2)");

        Map<String, byte[]> reordered = new LinkedHashMap<>();
        bundle.forEach((k, v) -> {
            if (!k.equals("ledger/blocks/3.block")) {
                reordered.put(k, v);
            }
            if (k.equals("ledger/blocks/4.block")) {
                reordered.put("ledger/blocks/3.block", bundle.get("ledger/blocks/3.block"));
            }
        });
        assertTamperingFails(reordered, UnaryOperator.identity(),
                "ledger/blocks/4.block (position 1 in the extract): block 4: NUMBER mismatch, expected 3 but was 4"
                        + " (previous block 2)");
    }

    @Test
    void aChangedBlockFailsItsDataHashEvenWhenReSigned() throws IOException {
        Block original = chain.get(3);
        Block forged = original.toBuilder().setData(original.getData().toBuilder()
                .setData(0, EvidenceFixture.envelope("tx-3-0", EvidenceFixture.T0, null))).build();
        Map<String, byte[]> tampered = new LinkedHashMap<>(bundle);
        tampered.put("ledger/blocks/3.block", forged.toByteArray());

        assertTamperingFails(tampered, UnaryOperator.identity(), null);
        String reason = verify(EvidenceFixture.relist(tampered, UnaryOperator.identity(), attacker.signer()))
                .failure().get();
        assertThat(reason).startsWith("ledger/blocks/3.block (position 1 in the extract): block 3: DATA_HASH mismatch");
    }

    @Test
    void aDroppedLastBlockLeavesTransactionsThatAreNotInTheExtract() throws IOException {
        Map<String, byte[]> dropped = new LinkedHashMap<>(bundle);
        dropped.remove("ledger/blocks/6.block");
        String lastHash = io.sandbox.core.fabric.block.BlockHashes.hex(
                io.sandbox.core.fabric.block.BlockHashes.headerHash(chain.get(5).getHeader()));

        assertTamperingFails(dropped, m -> new Manifest(m.startup(), m.channel(), m.from(), m.to(), m.createdAt(),
                m.createdBy(), m.firstBlock(), 5L, m.anchorBlock(), lastHash, 16, m.files(), null),
                "transactions.csv line 18 (tx 'tx-6-0'): is not in the ledger extract (the blocks hold 16 transactions)");
    }

    @Test
    void aTransactionAddedToTheCsvFails() throws IOException {
        String csv = new String(bundle.get(BundleFormat.TRANSACTIONS_CSV), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(csv.split("\r\n")));
        lines.add(6, "3,1,tx-evil,2026-03-01T09:30:05.123456Z,ENDORSER_TRANSACTION,VALID,PAYMENT,9999.00,EUR,,,p-1,"
                + "cust-a,cust-x,,,");
        Map<String, byte[]> added = new LinkedHashMap<>(bundle);
        added.put(BundleFormat.TRANSACTIONS_CSV, (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(verify(added).failure().get()).startsWith("transactions.csv: SHA-256 mismatch");
        assertTamperingFails(added, UnaryOperator.identity(), "transactions.csv line 7 (tx 'tx-evil'): not the"
                + " transaction at this position of the ledger extract, which is block 3 transaction 1 (tx 'tx-3-1'):"
                + " tx_id is 'tx-evil' but the block has 'tx-3-1'");

        List<String> appended = new ArrayList<>(List.of(csv.split("\r\n")));
        appended.add("6,4,tx-evil,2026-03-01T09:30:05Z,ENDORSER_TRANSACTION,VALID,,,,,,,,,,,");
        Map<String, byte[]> atEnd = new LinkedHashMap<>(bundle);
        atEnd.put(BundleFormat.TRANSACTIONS_CSV, (String.join("\r\n", appended) + "\r\n").getBytes(StandardCharsets.UTF_8));
        assertTamperingFails(atEnd, UnaryOperator.identity(),
                "transactions.csv line 22 (tx 'tx-evil'): is not in the ledger extract (the blocks hold 20 transactions)");
    }

    @Test
    void aChangedValueInTheCsvFailsNamingTheColumn() throws IOException {
        String csv = new String(bundle.get(BundleFormat.TRANSACTIONS_CSV), StandardCharsets.UTF_8);
        Map<String, byte[]> changed = new LinkedHashMap<>(bundle);
        changed.put(BundleFormat.TRANSACTIONS_CSV, csv.replaceFirst(",6\\.50,", ",6000.50,").getBytes(StandardCharsets.UTF_8));

        assertTamperingFails(changed, UnaryOperator.identity(),
                "transactions.csv line 3 (tx 'tx-2-1'): amount is '6000.50' but the block has '6.50'");

        Map<String, byte[]> code = new LinkedHashMap<>(bundle);
        code.put(BundleFormat.TRANSACTIONS_CSV, csv.replaceFirst("MVCC_READ_CONFLICT", "VALID").getBytes(StandardCharsets.UTF_8));
        assertTamperingFails(code, UnaryOperator.identity(),
                "transactions.csv line 3 (tx 'tx-2-1'): validation_code is 'VALID' but the block has 'MVCC_READ_CONFLICT'");
    }

    @Test
    void aTransactionAddedToTheJsonFails() throws IOException {
        String json = new String(bundle.get(BundleFormat.REPORT_JSON), StandardCharsets.UTF_8);
        String evil = "{\"blockNumber\":3,\"txIndex\":1,\"txId\":\"tx-evil\",\"timestamp\":\"2026-03-01T09:30:05Z\","
                + "\"headerType\":\"ENDORSER_TRANSACTION\",\"validationCode\":\"VALID\",\"event\":null},";
        int at = json.indexOf("{\"blockNumber\":3,\"txIndex\":1,");
        Map<String, byte[]> added = new LinkedHashMap<>(bundle);
        added.put(BundleFormat.REPORT_JSON, (json.substring(0, at) + evil + json.substring(at)).getBytes(StandardCharsets.UTF_8));

        assertTamperingFails(added, UnaryOperator.identity(),
                "report.json transactions[5] (tx 'tx-evil'): txId is \"tx-evil\" but the block has \"tx-3-1\"");

        Map<String, byte[]> changed = new LinkedHashMap<>(bundle);
        changed.put(BundleFormat.REPORT_JSON, json.replaceFirst("\"currency\":\"EUR\"", "\"currency\":\"USD\"")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(verify(EvidenceFixture.relist(changed, UnaryOperator.identity(), attacker.signer())).failure().get())
                .startsWith("report.json transactions[1] (tx 'tx-2-1'): event is {").contains("\"currency\":\"USD\"");
    }

    /**
     * The same tampering three ways: hashes recomputed without the key (signature fails); re-signed with another key
     * while the real root is pinned (trust fails); re-signed without a pin (the deep check fails with {@code reason}).
     */
    private void assertTamperingFails(Map<String, byte[]> tampered, UnaryOperator<Manifest> edit, String reason)
            throws IOException {
        assertThat(verify(EvidenceFixture.relist(tampered, edit, null), platform).failure().get())
                .startsWith("manifest.json: the signature does not match the manifest's content");
        assertThat(verify(EvidenceFixture.relist(tampered, edit, attacker.signer()), platform).failure().get())
                .isEqualTo("manifest.json: signed under root " + ManifestSigner.fingerprint(attacker.root().certificate())
                        + ", not the pinned trust root " + ManifestSigner.fingerprint(platform.root().certificate()));
        if (reason != null) {
            assertThat(verify(EvidenceFixture.relist(tampered, edit, attacker.signer())).failure()).hasValue(reason);
        }
    }

    @Test
    void anUnlistedFileAndAForeignChainFail() throws IOException {
        Map<String, byte[]> extra = new LinkedHashMap<>(bundle);
        extra.put("notes.txt", "hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(verify(extra).failure()).hasValue("notes.txt: in the bundle but not listed in the manifest");

        Map<String, byte[]> noManifest = new LinkedHashMap<>(bundle);
        noManifest.remove(BundleFormat.MANIFEST);
        assertThat(verify(noManifest).failure()).hasValue("manifest.json is missing from the bundle");

        // a chain whose signing certificate is not issued by the root it carries
        Manifest m = Manifest.parse(bundle.get(BundleFormat.MANIFEST));
        Manifest mixed = new ManifestSigner(platform.signing().privateKey(),
                List.of(platform.signing().certificate(), attacker.root().certificate())).sign(m.withFiles(m.files()));
        Map<String, byte[]> foreign = new LinkedHashMap<>(bundle);
        foreign.put(BundleFormat.MANIFEST, mixed.toBytes());
        assertThat(verify(foreign).failure()).hasValue(
                "manifest.json: certificate chain[0]'s signature does not verify with chain[1]'s key");
    }

    @Test
    void theCommandPrintsWhatItVerifiedAndExitsWithTheRightCode() throws IOException {
        Path good = EvidenceFixture.write(bundle, dir.resolve("good.zip"));
        Path root = dir.resolve("root.pem");
        Files.writeString(root, ManifestSigner.pem(platform.root().certificate()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = VerifierMain.run(new String[] {good.toString(), "--trust-root", root.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("VERIFIED: " + (bundle.size() - 1) + " files, 5 blocks, 20 transactions")
                .contains(ManifestSigner.fingerprint(platform.root().certificate()));

        Map<String, byte[]> tampered = new LinkedHashMap<>(bundle);
        tampered.put(BundleFormat.REPORT_PDF, "forged".getBytes(StandardCharsets.US_ASCII));
        Path bad = EvidenceFixture.write(tampered, dir.resolve("bad.zip"));
        ByteArrayOutputStream badErr = new ByteArrayOutputStream();
        assertThat(VerifierMain.run(new String[] {bad.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(badErr, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(badErr.toString(StandardCharsets.UTF_8)).startsWith("FAILED: report.pdf: SHA-256 mismatch");

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertThat(VerifierMain.run(new String[] {}, quiet, quiet)).isEqualTo(2);
        assertThat(VerifierMain.run(new String[] {dir.resolve("none.zip").toString()}, quiet, quiet)).isEqualTo(2);
        assertThat(VerifierMain.run(new String[] {good.toString(), "--bogus"}, quiet, quiet)).isEqualTo(2);
        Files.writeString(dir.resolve("junk.zip"), "not a zip");
        assertThat(VerifierMain.run(new String[] {dir.resolve("junk.zip").toString()}, quiet, quiet)).isEqualTo(1);
    }

    @Test
    void csvAndJsonRoundTrip() throws IOException {
        TransactionRecord r = new TransactionRecord(7, 2, "t,1", "2026-03-01T09:30:00Z", "ENDORSER_TRANSACTION",
                "VALID", Map.of("schema", "sandbox.reporting/1", "type", "PAYMENT", "to", "a \"b\"\r\nc"));
        Csv.Reader2 reader = new Csv.Reader2(new java.io.StringReader(r.csvLine()));
        assertThat(r.matchesCsv(reader.next(1))).isTrue();
        assertThat(reader.next(2)).isNull();
        assertThat(r.matchesJson((Map<?, ?>) Json.parse(Json.write(r.toJson())))).isTrue();
        assertThat(Json.canonical(Json.parse("{\"b\":[1,\"\\u0001\"],\"a\":{\"d\":null,\"c\":true}}")))
                .isEqualTo("{\"a\":{\"c\":true,\"d\":null},\"b\":[1,\"\\u0001\"]}");
    }

    @Test
    void timestampsRoundToMicrosecondsAsPostgresqlStoresThem() {
        // values checked against PostgreSQL 17: '...222698500Z'::timestamptz is .222698, '...222697500Z' is .222698
        assertThat(TransactionRecord.timestamp(Instant.parse("2026-11-22T01:15:33.222698500Z")))
                .isEqualTo("2026-11-22T01:15:33.222698Z");
        assertThat(TransactionRecord.timestamp(Instant.parse("2026-11-22T01:15:33.222697500Z")))
                .isEqualTo("2026-11-22T01:15:33.222698Z");
        assertThat(TransactionRecord.timestamp(Instant.parse("2026-11-22T01:15:33.222698501Z")))
                .isEqualTo("2026-11-22T01:15:33.222699Z");
        assertThat(TransactionRecord.timestamp(Instant.parse("2026-11-22T01:15:33.999999900Z")))
                .isEqualTo("2026-11-22T01:15:34Z");
        assertThat(TransactionRecord.timestamp(Instant.parse("2026-03-01T09:30:00Z"))).isEqualTo("2026-03-01T09:30:00Z");
    }
}
