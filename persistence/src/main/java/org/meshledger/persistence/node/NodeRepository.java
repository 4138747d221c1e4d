package org.meshledger.persistence.node;

import java.util.Optional;

import jakarta.persistence.EntityManager;

/** Reads and writes the node's identity and start history. */
public class NodeRepository {

    private final EntityManager em;

    public NodeRepository(EntityManager em) {
        this.em = em;
    }

    public Optional<NodeIdentityEntity> findIdentity() {
        return em.createQuery("select n from NodeIdentityEntity n", NodeIdentityEntity.class)
                .getResultStream()
                .findFirst();
    }

    public NodeIdentityEntity create(NodeIdentityEntity identity) {
        em.persist(identity);
        return identity;
    }

    public NodeStartEntity recordStart(NodeStartEntity start) {
        em.persist(start);
        return start;
    }

    public long countStarts() {
        return em.createQuery("select count(s) from NodeStartEntity s", Long.class).getSingleResult();
    }

    public Optional<NodeStartEntity> latestStart() {
        return em.createQuery("select s from NodeStartEntity s order by s.startedAt desc, s.id desc",
                        NodeStartEntity.class)
                .setMaxResults(1)
                .getResultStream()
                .findFirst();
    }
}
