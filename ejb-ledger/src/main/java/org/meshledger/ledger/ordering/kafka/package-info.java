/**
 * Step 2 of the write path, <b>order</b>, across nodes: the log layer through which the nodes of a
 * network agree on one order of submission batches, with Apache Kafka as the shared log (as
 * Hyperledger Fabric's Kafka orderer did).
 *
 * <p>One single-partition <em>order topic</em> per network. Every node publishes its submission
 * batches to it, each in an envelope the node signs ({@link org.meshledger.ledger.ordering.kafka.OrderMessageCodec});
 * every node consumes the whole topic and cuts it into blocks by one deterministic rule
 * ({@link org.meshledger.ledger.ordering.kafka.BlockCutter}): transaction count, payload bytes, and
 * time-to-cut messages in the log itself, never a local clock. A local clock only decides when a
 * node <em>asks</em> for a cut ({@link org.meshledger.ledger.ordering.kafka.TimeToCutTimer}); the
 * log decides which request counts. Kafka orders, it does not decide: a message that does not
 * decode, names another network or an unknown node, or is not signed by the node it names is
 * skipped identically by every node and reported as evidence.
 *
 * <p>The pure part (message format, cutter, timer, {@link org.meshledger.ledger.ordering.kafka.OrderLogFollower})
 * knows nothing of Kafka; the adapter ({@link org.meshledger.ledger.ordering.kafka.OrderLog},
 * {@link org.meshledger.ledger.ordering.kafka.OrderTopic}, {@link org.meshledger.ledger.ordering.kafka.OrderPublisher},
 * {@link org.meshledger.ledger.ordering.kafka.OrderConsumer}) holds the topic's settings, writes,
 * reads and checks at start that the log is the one the node's ledger was built from.
 * Batch payloads are opaque bytes here: sealing transactions into them and applying the cut blocks
 * (step 3) happen above this package.
 */
package org.meshledger.ledger.ordering.kafka;
