package org.meshledger.persistence.health;

import java.time.Instant;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.meshledger.persistence.NodeDataSource;

/**
 * The event relay and its backlog: how many committed blocks wait in the outbox and for how long,
 * whether Kafka can be reached, the events dead-lettered and the inbound partitions held back. It
 * stays UP while Kafka is down (the ledger keeps committing and the relay catches up by itself), so
 * an outage of the broker does not take the node out of service; {@code status} says
 * {@code degraded} (and {@code degraded} why) when events are dead-lettered, when the relay has not
 * advanced for {@link EventsHealth#STALLED_AFTER} while blocks wait, or when an inbound partition has
 * been held back that long: alert on {@code status}, {@code backlogSeconds} and {@code deadLettered}.
 */
@Readiness
@ApplicationScoped
public class EventsReadinessCheck implements HealthCheck {

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("events").up();
        EventsHealth.report(dataSource, EventRelayStatus.current(), InboundPortStatus.held(),
                InboundPortStatus.deadLetteredSinceStart(), Instant.now(), EventsHealth.STALLED_AFTER)
                .forEach((name, value) -> {
                    if (value instanceof Number number) {
                        response.withData(name, number.longValue());
                    } else if (value instanceof Boolean flag) {
                        response.withData(name, flag);
                    } else {
                        response.withData(name, String.valueOf(value));
                    }
                });
        return response.build();
    }
}
