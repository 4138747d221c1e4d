package org.meshledger.persistence.health;

import java.sql.SQLException;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * The event relay and its backlog: how many committed blocks wait in the outbox and for how long,
 * and whether Kafka can be reached. It stays UP while Kafka is down (the ledger keeps committing and
 * the relay catches up by itself), so an outage of the broker does not take the node out of service;
 * alert on {@code backlogBlocks} and {@code backlogSeconds} instead.
 */
@Readiness
@ApplicationScoped
public class EventsReadinessCheck implements HealthCheck {

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        EventRelayStatus.Snapshot relay = EventRelayStatus.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("events").up()
                .withData("relay", relay.state().name().toLowerCase(java.util.Locale.ROOT))
                .withData("detail", relay.detail())
                .withData("publishedHeight", relay.publishedHeight());
        try {
            OutboxStore.Backlog backlog = new OutboxStore(dataSource, new LedgerStore(dataSource)).backlog();
            return response.withData("backlogBlocks", backlog.blocks())
                    .withData("backlogSeconds", backlog.age(Instant.now()).toSeconds()).build();
        } catch (SQLException | RuntimeException e) {
            return response.withData("backlog", "unknown: " + DatabaseDiagnosis.describe(e)).build();
        }
    }
}
