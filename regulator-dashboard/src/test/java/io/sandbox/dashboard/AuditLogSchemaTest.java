package io.sandbox.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sandbox.dashboard.testing.FabricTestNetwork;
import io.sandbox.launcher.testing.SandboxTestEnvironment;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The audit log's table, migrated by Flyway into the real PostgreSQL, refuses to be rewritten. */
@QuarkusTest
@WithTestResource(value = SandboxTestEnvironment.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "service", value = "DASHBOARD"))
@WithTestResource(value = FabricTestNetwork.class, scope = TestResourceScope.GLOBAL)
class AuditLogSchemaTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void auditEventsCanBeAppendedButNeverUpdatedDeletedOrTruncated() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            long seq;
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into audit_event (actor, action, subject, previous_hash, hash) values (?, ?, ?, ?, ?) returning seq")) {
                insert.setString(1, "regulator");
                insert.setString(2, "TEST");
                insert.setString(3, "schema-test");
                insert.setBytes(4, new byte[32]);
                // a well-formed (32-byte) hash: the test database is shared, and AuditLog links the next event to it
                byte[] hash = new byte[32];
                new java.security.SecureRandom().nextBytes(hash);
                insert.setBytes(5, hash);
                var rs = insert.executeQuery();
                assertThat(rs.next()).isTrue();
                seq = rs.getLong(1);
            }
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("update audit_event set actor = 'someone else' where seq = " + seq))
                        .isInstanceOf(SQLException.class).hasMessageContaining("audit_event is append-only");
                assertThatThrownBy(() -> statement.executeUpdate("delete from audit_event where seq = " + seq))
                        .isInstanceOf(SQLException.class).hasMessageContaining("audit_event is append-only");
                assertThatThrownBy(() -> statement.executeUpdate("truncate audit_event"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("audit_event is append-only");
            }
        }
    }
}
