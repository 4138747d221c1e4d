package org.meshledger.persistence.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The node's place in its network of nodes: DOWN when it diverged from the network (with the
 * evidence) or its order log reader stopped; UP otherwise, with its height, the height a majority
 * agrees on, and how many faults of other nodes it found. In a network of one node it says so.
 */
@Readiness
@ApplicationScoped
public class NetworkReadinessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        NetworkStatus.Snapshot status = NetworkStatus.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("network");
        if (status.node() == null) {
            return response.up().withData("nodes", "one node hosts every party").build();
        }
        response.withData("node", status.node()).withData("height", status.height())
                .withData("agreedHeight", status.agreedHeight()).withData("evidence", status.evidence())
                .withData("reading", status.reading());
        if (status.halted() != null) {
            return response.down().withData("diverged", status.halted()).build();
        }
        return (status.reading() ? response.up() : response.down()
                .withData("stopped", "the order log's reader stopped; restart the node")).build();
    }
}
