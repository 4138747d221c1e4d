package org.meshledger.persistence.health;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.connector.ConnectorStore;

/**
 * Each connector's state, last sync, lag and errors, and its open dead letters. It stays UP while a
 * system is away (the ledger serves everyone else, and the connector catches up by itself); alert on
 * a connector's {@code state}, {@code outboundLagBlocks} and {@code deadLetters}.
 */
@Readiness
@ApplicationScoped
public class ConnectorsReadinessCheck implements HealthCheck {

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("connectors").up();
        var connectors = ConnectorStatusBoard.all();
        response.withData("connectors", connectors.size());
        Map<String, Long> deadLetters = Map.of();
        long height = -1;
        try {
            deadLetters = new ConnectorStore(dataSource, java.time.Clock.systemUTC()).openDeadLetterCounts();
            height = ledgerHeight();
        } catch (SQLException | RuntimeException e) {
            response.withData("deadLetters", "unknown: " + DatabaseDiagnosis.describe(e));
        }
        Instant now = Instant.now();
        for (ConnectorStatusBoard.Snapshot c : connectors) {
            StringBuilder text = new StringBuilder(c.state().name().toLowerCase(Locale.ROOT));
            if (c.detail() != null && !c.detail().isBlank()) {
                text.append(": ").append(c.detail());
            }
            if (c.lastInboundAt() != null) {
                text.append("; last inbound ").append(ago(c.lastInboundAt(), now));
            }
            if (c.writes()) {
                text.append("; last outbound ").append(c.lastOutboundAt() == null ? "never" : ago(c.lastOutboundAt(), now));
                if (height >= 0) {
                    text.append("; outbound lag ").append(Math.max(0, height - c.outboundHeight())).append(" blocks");
                }
            }
            text.append("; errors ").append(c.errors()).append("; dead letters ")
                    .append(deadLetters.getOrDefault(c.id(), 0L));
            response.withData(c.id(), text.toString());
        }
        return response.build();
    }

    private long ledgerHeight() throws SQLException {
        return org.meshledger.persistence.Sql.queryOne(dataSource, "SELECT coalesce(max(height), 0) FROM ledger_block",
                s -> { }, rs -> rs.getLong(1)).orElse(0L);
    }

    private static String ago(Instant then, Instant now) {
        return Duration.between(then, now).toSeconds() + " s ago";
    }
}
