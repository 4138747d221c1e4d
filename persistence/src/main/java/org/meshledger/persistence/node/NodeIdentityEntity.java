package org.meshledger.persistence.node;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one row of {@code node_identity}: who this node is. */
@Entity
@Table(name = "node_identity")
public class NodeIdentityEntity {

    @Id
    @Column(name = "node_id", nullable = false, updatable = false)
    private UUID nodeId;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected NodeIdentityEntity() {
        // for JPA
    }

    public NodeIdentityEntity(UUID nodeId, Instant createdAt) {
        this.nodeId = nodeId;
        this.createdAt = createdAt;
    }

    public UUID getNodeId() {
        return nodeId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
