package org.meshledger.persistence.node;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One start of the node ({@code node_start}). */
@Entity
@Table(name = "node_start")
public class NodeStartEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "node_id", nullable = false, updatable = false)
    private UUID nodeId;

    @Column(name = "started_at", nullable = false, updatable = false)
    private Instant startedAt;

    @Column(name = "software_version", nullable = false, updatable = false)
    private String softwareVersion;

    protected NodeStartEntity() {
        // for JPA
    }

    public NodeStartEntity(UUID nodeId, Instant startedAt, String softwareVersion) {
        this.nodeId = nodeId;
        this.startedAt = startedAt;
        this.softwareVersion = softwareVersion;
    }

    public Long getId() {
        return id;
    }

    public UUID getNodeId() {
        return nodeId;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public String getSoftwareVersion() {
        return softwareVersion;
    }
}
