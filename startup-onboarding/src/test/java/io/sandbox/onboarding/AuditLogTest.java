package io.sandbox.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.core.audit.AuditChain;
import io.sandbox.core.audit.AuditEvent;
import io.sandbox.core.audit.AuditLog;
import io.sandbox.core.audit.AuditVerification;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The audit log against the real PostgreSQL. The table refuses updates and deletes (even to this test), so
 * tampering is shown on rows read into memory: {@link AuditChain} is the same check {@link AuditLog#verify()}
 * runs over the table.
 */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "ONBOARDING"))
class AuditLogTest {

    @Inject
    AuditLog audit;

    @Inject
    DataSource dataSource;

    @Test
    void concurrentAppendsFormOneChain() throws Exception {
        String run = UUID.randomUUID().toString();
        int threads = 8;
        int each = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        QuarkusTransaction.requiringNew().run(() -> audit.append("tester", "test.concurrent", "run/" + run,
                                null, Map.of("thread", thread, "n", n)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(count("select count(*) from audit_event where subject = ?", "run/" + run)).isEqualTo(threads * each);
        assertThat(count("select count(*) from (select previous_hash from audit_event group by previous_hash having count(*) > 1) forks"))
                .as("rows sharing a previous hash (a fork)").isZero();
        AuditVerification verification = audit.verify();
        assertThat(verification.intact()).as("verification %s", verification).isTrue();
        assertThat(verification.eventsChecked()).isGreaterThanOrEqualTo(threads * each);
    }

    @Test
    void anAppendIsPartOfTheCallersTransactionAndRollsBackWithIt() throws Exception {
        String subject = "rollback/" + UUID.randomUUID();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            audit.append("tester", "test.rollback", subject, "will not stay", Map.of());
            throw new IllegalStateException("the decision failed after its audit event was appended");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(count("select count(*) from audit_event where subject = ?", subject)).isZero();
        QuarkusTransaction.requiringNew().run(() -> audit.append("tester", "test.after-rollback", subject, null, Map.of()));
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void anAppendOutsideATransactionIsRefused() {
        assertThatThrownBy(() -> audit.append("tester", "test.no-tx", "nothing", null, Map.of()))
                .isInstanceOf(TransactionalException.class);
    }

    @Test
    void theTableRefusesUpdatesAndDeletes() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> audit.append("tester", "test.immutable", "immutable", null, Map.of()));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> c.createStatement().executeUpdate("update audit_event set reason = 'edited'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> c.createStatement().executeUpdate("delete from audit_event"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }

    @Test
    void storedRowsVerifyAndATamperedCopyIsCaughtAtTheEditedRow() throws Exception {
        String subject = "tamper/" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            int n = i;
            QuarkusTransaction.requiringNew().run(() -> audit.append("tester", "test.tamper", subject, "step " + n,
                    Map.of("amount", n + 0.5, "nested", Map.of("z", 1, "a", List.of("x", n)))));
        }
        List<AuditEvent> rows = allRows();
        assertThat(AuditChain.verify(rows).intact()).isTrue();

        int target = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).subject().equals(subject) && "step 1".equals(rows.get(i).reason())) {
                target = i;
            }
        }
        AuditEvent e = rows.get(target);
        rows.set(target, new AuditEvent(e.seq(), e.occurredAt(), e.actor(), e.action(), e.subject(), "step 1, edited",
                e.details(), e.previousHash(), e.hash()));

        AuditVerification tampered = AuditChain.verify(rows);
        assertThat(tampered.intact()).isFalse();
        assertThat(tampered.firstBrokenSeq()).contains(e.seq());
    }

    private List<AuditEvent> allRows() throws SQLException {
        List<AuditEvent> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("""
                        select seq, occurred_at, actor, action, subject, reason, details::text, previous_hash, hash
                        from audit_event order by seq""");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                rows.add(new AuditEvent(r.getLong(1), r.getObject(2, OffsetDateTime.class).toInstant(), r.getString(3),
                        r.getString(4), r.getString(5), r.getString(6), r.getString(7), r.getBytes(8), r.getBytes(9)));
            }
        }
        return rows;
    }

    private long count(String sql, String... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                q.setString(i + 1, parameters[i]);
            }
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
