package org.meshledger.ledger.node;

import java.time.Instant;
import java.util.UUID;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.meshledger.ledger.identity.Role;
import org.meshledger.persistence.SoftwareVersion;
import org.meshledger.persistence.node.NodeIdentityEntity;
import org.meshledger.persistence.node.NodeRepository;
import org.meshledger.persistence.node.NodeStartEntity;

/**
 * Gives the node its permanent identity on its first start and records every start after it.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigration")
public class NodeIdentityService {

    private static final Logger LOG = Logger.getLogger(NodeIdentityService.class.getName());

    @PersistenceContext(unitName = "meshledger")
    private EntityManager em;

    @EJB
    private DatabaseMigration migration;

    @PostConstruct
    void registerStart() {
        NodeRepository nodes = new NodeRepository(em);
        Instant now = Instant.now();
        NodeIdentityEntity identity = nodes.findIdentity()
                .orElseGet(() -> nodes.create(new NodeIdentityEntity(UUID.randomUUID(), now)));
        nodes.recordStart(new NodeStartEntity(identity.getNodeId(), now, SoftwareVersion.current()));
        LOG.info(() -> "MeshLedger node " + identity.getNodeId() + " started (version " + SoftwareVersion.current() + ")");
    }

    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public NodeInfo describe() {
        NodeRepository nodes = new NodeRepository(em);
        NodeIdentityEntity identity = nodes.findIdentity()
                .orElseThrow(() -> new IllegalStateException("The node has no identity although it started"));
        Instant lastStart = nodes.latestStart().map(NodeStartEntity::getStartedAt).orElse(identity.getCreatedAt());
        return new NodeInfo(identity.getNodeId(), identity.getCreatedAt(), nodes.countStarts(), lastStart,
                SoftwareVersion.current(), migration.schemaVersion());
    }
}
