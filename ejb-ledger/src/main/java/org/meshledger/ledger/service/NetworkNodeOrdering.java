package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.agreement.Agreement;
import org.meshledger.ledger.agreement.Evidence;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.block.NetworkBlockApplier;
import org.meshledger.ledger.block.TransactionSealer;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NodeDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.ordering.BatchCodec;
import org.meshledger.ledger.ordering.Ticket;
import org.meshledger.ledger.ordering.TransactionOrdering;
import org.meshledger.ledger.ordering.kafka.BlockCutter;
import org.meshledger.ledger.ordering.kafka.CheckpointTopic;
import org.meshledger.ledger.ordering.kafka.CutPolicy;
import org.meshledger.ledger.ordering.kafka.CutterState;
import org.meshledger.ledger.ordering.kafka.ExpectedLog;
import org.meshledger.ledger.ordering.kafka.LogIdentity;
import org.meshledger.ledger.ordering.kafka.LogPosition;
import org.meshledger.ledger.ordering.kafka.OrderConsumer;
import org.meshledger.ledger.ordering.kafka.OrderLog;
import org.meshledger.ledger.ordering.kafka.OrderLogSettings;
import org.meshledger.ledger.ordering.kafka.OrderMessageCodec;
import org.meshledger.ledger.ordering.kafka.OrderPublisher;
import org.meshledger.ledger.ordering.network.NetworkOrdering;
import org.meshledger.ledger.transaction.PublicTransactions;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.views.HpkeViewSealing;
import org.meshledger.ledger.views.NodeKeys;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.network.OrderPositionStore;

/**
 * A node's ordering in a network of nodes, with everything it runs on: the order log (checked at
 * start against the position the ledger stored), its reader, the publisher, the checkpoints topic
 * and the agreement; closed together, readers first.
 */
public final class NetworkNodeOrdering implements TransactionOrdering {

    private static final Logger LOG = Logger.getLogger(NetworkNodeOrdering.class.getName());

    /** How every node of a network cuts blocks from the log (the same on every node). */
    public static final CutPolicy CUT_POLICY = new CutPolicy(1000, 4 << 20);

    private final NetworkOrdering ordering;
    private final OrderLog log;
    private final OrderConsumer consumer;
    private final CheckpointTopic checkpoints;

    private NetworkNodeOrdering(NetworkOrdering ordering, OrderLog log, OrderConsumer consumer,
            CheckpointTopic checkpoints) {
        this.ordering = ordering;
        this.log = log;
        this.consumer = consumer;
        this.checkpoints = checkpoints;
    }

    static NetworkNodeOrdering open(NetworkDefinition network, String self, DataSource dataSource, AccessPolicy policy,
            LedgerStore store, ChainState chain, NodeKeys.Pair keys, OrderLogSettings settings,
            NetworkOrdering.Settings orderingSettings, java.util.concurrent.ThreadFactory threads, Clock clock)
            throws SQLException {
        Map<String, java.security.PublicKey> nodeKeys = new LinkedHashMap<>();
        network.nodes().forEach(node -> nodeKeys.put(node.id(), node.signingKey()));
        OrderPositionStore positions = new OrderPositionStore(dataSource);
        Optional<OrderPositionStore.OrderPosition> position = positions.read();
        if (position.isEmpty() && chain.height() > 0) {
            throw new IllegalStateException("this ledger holds " + chain.height() + " blocks that did not come from "
                    + "the network's order log: a node of a network of nodes starts from an empty database");
        }
        ExpectedLog expected = position.map(p -> ExpectedLog.of(new LogIdentity(p.clusterId(), p.topicId()),
                new LogPosition(p.lastOffset(), p.lastValueSha256()))).orElse(ExpectedLog.FRESH);
        OrderMessageCodec messages = new OrderMessageCodec(network.id(), nodeKeys, settings.maxMessageBytes());
        OrderLog log = OrderLog.open(settings, messages, expected);
        CheckpointTopic checkpoints = null;
        try {
            OrderPublisher publisher = log.publisher(self, keys.signing()::sign);
            checkpoints = CheckpointTopic.open(settings, network.id(), self);
            java.util.concurrent.atomic.AtomicLong found = new java.util.concurrent.atomic.AtomicLong();
            Consumer<String> evidence = problem -> {
                found.incrementAndGet();
                LOG.warning("Network evidence: " + problem);
            };
            Agreement agreement = new Agreement(self, network.nodes().stream().map(NodeDefinition::id)
                    .collect(Collectors.toSet()), fault -> report(fault, evidence));
            Set<org.meshledger.ledger.identity.PartyId> parties = network.parties().stream().map(PartyDefinition::id)
                    .collect(Collectors.toSet());
            BatchCodec codec = new BatchCodec(network, new PublicTransactions(network.schema(), parties,
                    network.schema().limits()), new HpkeViewSealing(keys.encryption()));
            NetworkOrdering ordering = new NetworkOrdering(new NetworkOrdering.Parts(self, store, positions, chain,
                    new NetworkBlockApplier(network, policy, store), new TransactionSealer(network, policy), codec,
                    publisher, checkpoints, agreement, log.identity(), network, keys.signing()::sign), orderingSettings,
                    threads, clock, evidence);
            CutterState state = position.map(p -> new CutterState(p.nextHeight(), p.lastBlockTime(), p.lastOffset()))
                    .orElse(CutterState.initial(1));
            BlockCutter cutter = new BlockCutter(CUT_POLICY, state, (node, batch) -> {
                try {
                    return positions.taken(node, batch);
                } catch (SQLException e) {
                    throw new IllegalStateException("The node's database cannot say which batches it took", e);
                }
            }, ordering.listener());
            checkpoints.read(ordering::checkpointReceived, threads);
            OrderConsumer consumer = log.follow(cutter, ordering.listener(), publisher, threads);
            LOG.info(() -> "Node " + self + " of network " + network.id() + " follows order topic " + settings.topic()
                    + " (cluster " + log.identity().clusterId() + ") from offset " + state.resumeOffset());
            org.meshledger.persistence.health.NetworkStatus.reportFrom(() ->
                    new org.meshledger.persistence.health.NetworkStatus.Snapshot(self, chain.height(),
                            agreement.agreedHeight(), !consumer.halted(),
                            agreement.halted() == null ? null : agreement.halted().detail(), found.get()));
            return new NetworkNodeOrdering(ordering, log, consumer, checkpoints);
        } catch (RuntimeException e) {
            if (checkpoints != null) {
                checkpoints.close();
            }
            log.close();
            throw e;
        }
    }

    private static void report(Evidence found, Consumer<String> evidence) {
        evidence.accept(found.kind().keyword() + " of node " + found.node() + " at height " + found.height() + ": "
                + found.detail());
    }

    public NetworkOrdering ordering() {
        return ordering;
    }

    public Agreement agreement() {
        return ordering.agreement();
    }

    /** Whether the order log's reader still reads (it stops when a block cannot be written). */
    public boolean reading() {
        return !consumer.halted();
    }

    @Override
    public Ticket submit(Submission submission) {
        return ordering.submit(submission);
    }

    @Override
    public void close() {
        consumer.close();
        checkpoints.close();
        ordering.close();
        log.close();
    }
}
