package org.meshledger.persistence.health;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.meshledger.persistence.NodeDataSource;

/**
 * Ready when the node's database answers and carries a migrated schema; otherwise DOWN with the
 * reason. (The node's readiness checks live in this EAR library because WildFly registers health
 * checks from EAR libraries only, not from EJB or web modules: WFLY-12835.)
 */
@Readiness
@ApplicationScoped
public class DatabaseReadinessCheck implements HealthCheck {

    private static final int TIMEOUT_SECONDS = 3;

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("database");
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement()) {
            query.setQueryTimeout(TIMEOUT_SECONDS);
            try (ResultSet rs = query.executeQuery("SELECT version FROM flyway_schema_history "
                    + "WHERE success ORDER BY installed_rank DESC LIMIT 1")) {
                if (!rs.next()) {
                    return response.down().withData("reason", "the database has no migrated schema").build();
                }
                return response.up().withData("schemaVersion", rs.getString(1)).build();
            }
        } catch (SQLException | RuntimeException e) {
            return response.down().withData("reason", DatabaseDiagnosis.describe(e)).build();
        }
    }
}
