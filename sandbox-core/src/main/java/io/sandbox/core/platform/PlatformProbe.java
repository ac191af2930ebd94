package io.sandbox.core.platform;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads what a service is connected to, straight from the database and configuration. */
@ApplicationScoped
public class PlatformProbe {

    private final AgroalDataSource dataSource;
    private final IdentityConfig identity;
    private final String service;

    PlatformProbe(AgroalDataSource dataSource, IdentityConfig identity,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.dataSource = dataSource;
        this.identity = identity;
        this.service = service;
    }

    public PlatformStatus status() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String database = connection.getMetaData().getDatabaseProductName() + " "
                    + connection.getMetaData().getDatabaseProductVersion();
            String schema = "none";
            try (ResultSet rs = statement.executeQuery(
                    "select version from flyway_schema_history where success order by installed_rank desc limit 1")) {
                if (rs.next()) {
                    schema = rs.getString(1);
                }
            }
            return new PlatformStatus(service, database, schema, identity.realmUrl());
        } catch (SQLException e) {
            throw new IllegalStateException("The database did not answer: " + e.getMessage(), e);
        }
    }
}
