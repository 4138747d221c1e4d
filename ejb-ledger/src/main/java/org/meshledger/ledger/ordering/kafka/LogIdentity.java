package org.meshledger.ledger.ordering.kafka;

import java.util.Objects;

/**
 * Which log the node follows: the Kafka cluster's id and the order topic's id (a topic deleted and
 * created again under the same name gets another id). A node stores it with its ledger and passes it
 * back at start ({@link ExpectedLog}).
 */
public record LogIdentity(String clusterId, String topicId) {

    public LogIdentity {
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(topicId, "topicId");
    }
}
