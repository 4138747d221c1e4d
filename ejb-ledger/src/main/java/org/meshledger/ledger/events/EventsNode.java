package org.meshledger.ledger.events;

import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;

import org.meshledger.ledger.events.kafka.KafkaEventPublisher;
import org.meshledger.ledger.events.kafka.KafkaInboundPort;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.service.LedgerEngine;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.health.EventRelayStatus;
import org.meshledger.persistence.ledger.EventDeadLetterStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * The node's event streams, started with it: the outbox relay to the parties' topics and the
 * inbound port, each on a managed thread of its own. Without Kafka configured neither runs; the
 * ledger works the same and its events wait in the outbox (health shows how many).
 */
@Singleton
@Startup
@DependsOn("LedgerEngine")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventsNode {

    private static final Logger LOG = Logger.getLogger(EventsNode.class.getName());

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @Resource
    private ManagedThreadFactory threads;

    @EJB
    private LedgerEngine engine;

    private EventSettings settings;
    private OutboxStore outbox;
    private EventRelay relay;
    private KafkaInboundPort inbound;

    @PostConstruct
    void start() {
        settings = EventSettings.fromConfig(engine.network().id());
        outbox = new OutboxStore(dataSource, engine.store());
        if (!settings.enabled()) {
            EventRelayStatus.started(EventRelayStatus.State.NOT_CONFIGURED, "no Kafka configured "
                    + "(MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS): events wait in the outbox");
            LOG.info("Events: no Kafka configured (MESHLEDGER_KAFKA_BOOTSTRAP_SERVERS); events wait in the outbox");
            return;
        }
        String node = System.getProperty("jboss.node.name", "node");
        relay = new EventRelay(engine.network(), new BlockEvents(engine.network(), engine.policy()), outbox,
                new EventDeadLetterStore(dataSource), engine.chain(), () -> new KafkaEventPublisher(settings, node),
                settings.bootstrapServers(), Clock.systemUTC());
        List<PartyId> parties = engine.network().parties().stream().map(PartyDefinition::id).toList();
        inbound = new KafkaInboundPort(settings, parties, new InboundSubmissions(engine.submitter()));
        threads.newThread(relay).start();
        threads.newThread(inbound).start();
        LOG.info(() -> "Events: publishing to Kafka at " + settings.bootstrapServers() + ", topics "
                + settings.topicPrefix() + "<party>.records, reading " + settings.topicPrefix() + "<party>.inbound");
    }

    @PreDestroy
    void stop() {
        if (relay != null) {
            relay.stop();
        }
        if (inbound != null) {
            inbound.stop();
        }
    }

    public EventSettings settings() {
        return settings;
    }

    public OutboxStore outbox() {
        return outbox;
    }
}
