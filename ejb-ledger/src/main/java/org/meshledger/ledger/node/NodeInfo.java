package org.meshledger.ledger.node;

import java.time.Instant;
import java.util.UUID;

/**
 * What an operator needs to know about this node.
 *
 * @param nodeId the node's permanent identifier
 * @param createdAt when the node first started on its database
 * @param starts how many times it has started
 * @param lastStartedAt when it last started
 * @param softwareVersion the MeshLedger version running now
 * @param schemaVersion the database schema version
 */
public record NodeInfo(UUID nodeId, Instant createdAt, long starts, Instant lastStartedAt, String softwareVersion,
        String schemaVersion) {
}
