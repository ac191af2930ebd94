package io.sandbox.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditChainTest {

    private static List<AuditEvent> chainOf(int length) {
        List<AuditEvent> events = new ArrayList<>();
        byte[] previous = AuditEncoding.genesis();
        for (int i = 1; i <= length; i++) {
            Instant at = Instant.parse("2026-03-01T10:00:00Z").plusSeconds(i);
            String details = AuditEncoding.canonicalJson(Map.of("n", i));
            byte[] hash = AuditEncoding.hash(AuditEncoding.content(at, "regulator", "test.step", "thing/" + i, "because", details), previous);
            events.add(new AuditEvent(i * 10L, at, "regulator", "test.step", "thing/" + i, "because", details, previous, hash));
            previous = hash;
        }
        return events;
    }

    private static AuditEvent withSubject(AuditEvent e, String subject) {
        return new AuditEvent(e.seq(), e.occurredAt(), e.actor(), e.action(), subject, e.reason(), e.details(), e.previousHash(), e.hash());
    }

    @Test
    void anUntouchedChainVerifies() {
        AuditVerification result = AuditChain.verify(chainOf(5));

        assertThat(result.intact()).isTrue();
        assertThat(result.eventsChecked()).isEqualTo(5);
        assertThat(result.firstBrokenSeq()).isEmpty();
    }

    @Test
    void anEmptyChainVerifies() {
        assertThat(AuditChain.verify(List.of()).intact()).isTrue();
    }

    @Test
    void anEditedRowIsTheFirstBrokenOne() {
        List<AuditEvent> events = chainOf(5);
        events.set(2, withSubject(events.get(2), "thing/other"));

        AuditVerification result = AuditChain.verify(events);

        assertThat(result.intact()).isFalse();
        assertThat(result.firstBrokenSeq()).contains(30L);
        assertThat(result.eventsChecked()).isEqualTo(3);
        assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p).contains("does not hash"));
    }

    @Test
    void aDeletedRowBreaksTheLinkOfItsSuccessor() {
        List<AuditEvent> events = chainOf(5);
        events.remove(1);

        AuditVerification result = AuditChain.verify(events);

        assertThat(result.firstBrokenSeq()).contains(30L);
        assertThat(result.problem()).hasValueSatisfying(p -> assertThat(p).contains("previous hash"));
    }

    @Test
    void aRowRehashedAfterEditingStillBreaksItsSuccessor() {
        List<AuditEvent> events = chainOf(4);
        AuditEvent e = events.get(1);
        byte[] forged = AuditEncoding.hash(AuditEncoding.content(e.occurredAt(), e.actor(), e.action(), "thing/forged",
                e.reason(), e.details()), e.previousHash());
        events.set(1, new AuditEvent(e.seq(), e.occurredAt(), e.actor(), e.action(), "thing/forged", e.reason(), e.details(),
                e.previousHash(), forged));

        assertThat(AuditChain.verify(events).firstBrokenSeq()).contains(30L);
    }

    @Test
    void detailsReformattedByTheDatabaseStillVerify() {
        List<AuditEvent> events = chainOf(2);
        AuditEvent e = events.get(0);
        events.set(0, new AuditEvent(e.seq(), e.occurredAt(), e.actor(), e.action(), e.subject(), e.reason(), "{\"n\": 1.0}",
                e.previousHash(), e.hash()));

        assertThat(AuditChain.verify(events).intact()).isTrue();
    }

    @Test
    void changedDetailsBreakTheRow() {
        List<AuditEvent> events = chainOf(2);
        AuditEvent e = events.get(1);
        events.set(1, new AuditEvent(e.seq(), e.occurredAt(), e.actor(), e.action(), e.subject(), e.reason(), "{\"n\": 3}",
                e.previousHash(), e.hash()));

        assertThat(AuditChain.verify(events).firstBrokenSeq()).contains(20L);
    }
}
