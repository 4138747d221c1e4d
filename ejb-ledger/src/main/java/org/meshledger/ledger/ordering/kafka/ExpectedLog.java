package org.meshledger.ledger.ordering.kafka;

/**
 * What the node stored with its ledger about the order log, checked at start ({@link StartCheck}).
 * Each part is null when the node has none yet: a fresh node ({@link #FRESH}) has nothing; a node
 * that has connected but cut no block yet has the identity only.
 *
 * @param clusterId the Kafka cluster id it was built from
 * @param topicId the order topic's id it was built from
 * @param last the last record its last block consumed ({@link CutBlock#end()})
 */
public record ExpectedLog(String clusterId, String topicId, LogPosition last) {

    public static final ExpectedLog FRESH = new ExpectedLog(null, null, null);

    public static ExpectedLog of(LogIdentity identity, LogPosition last) {
        return new ExpectedLog(identity.clusterId(), identity.topicId(), last);
    }
}
