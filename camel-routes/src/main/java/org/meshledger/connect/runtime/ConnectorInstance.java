package org.meshledger.connect.runtime;

import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.mapping.MappingLoader;
import org.meshledger.connect.mapping.RecordMapping;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.ConnectorProvider;
import org.meshledger.connect.spi.ConnectorSettings;
import org.meshledger.connect.spi.Cursors;
import org.meshledger.connect.spi.ObjectMapping;
import org.meshledger.connect.spi.SourceReporter;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.persistence.connector.ConnectorStore;

/**
 * One configured connector, made: its mappings checked against the schema, the provider's connector,
 * the core's inbound processor and dead-letter store around it, and its endpoints.
 */
public final class ConnectorInstance {

    private final ConnectorDefinition definition;
    private final List<RecordMapping> mappings;
    private final MeshPrincipal principal;
    private final StatusTracker status;
    private final DeadLetters deadLetters;
    private final Connector connector;
    private final InboundProcessor inbound;
    private volatile OutboundFeed feed;

    private ConnectorInstance(ConnectorDefinition definition, List<RecordMapping> mappings, StatusTracker status,
            ConnectorProvider provider, LedgerCore ledger, ConnectorStore store, Clock clock) {
        this.definition = definition;
        this.mappings = mappings;
        this.principal = principal(definition);
        this.status = status;
        this.deadLetters = new DeadLetters(definition.id(), store, status);
        this.connector = provider.create(new Context(store));
        this.inbound = new InboundProcessor(definition.id(), definition.system(), principal,
                mappings.stream().filter(RecordMapping::inbound).toList(), connector, ledger, store, deadLetters, status,
                clock);
    }

    /**
     * Makes the connector of a definition.
     *
     * @throws ConnectorConfigException when its mappings or settings are wrong, or no provider makes its kind
     */
    static ConnectorInstance create(ConnectorDefinition definition, Map<String, ConnectorProvider> providers,
            LedgerCore ledger, ConnectorStore store, StatusTracker status, Clock clock) {
        ConnectorProvider provider = providers.get(definition.kind());
        if (provider == null) {
            throw new ConnectorConfigException("connector " + definition.id() + ": no connector of kind '"
                    + definition.kind() + "' is installed (installed: " + String.join(", ", providers.keySet()) + ")");
        }
        MappingLoader loader = new MappingLoader(ledger.network().schema());
        List<RecordMapping> mappings = definition.mappings().stream().map(loader::load).toList();
        if (mappings.isEmpty()) {
            throw new ConnectorConfigException("connector " + definition.id() + ": mappings are required (at least one)");
        }
        return new ConnectorInstance(definition, mappings, status, provider, ledger, store, clock);
    }

    /** The system principal a connector's changes are submitted as: a system of its party, named after it. */
    static MeshPrincipal principal(ConnectorDefinition definition) {
        return new MeshPrincipal(new PartyId(definition.party()), PrincipalKind.SYSTEM, definition.id(),
                "connector:" + definition.id(), Set.of(Role.EDITOR));
    }

    public ConnectorDefinition definition() {
        return definition;
    }

    public List<RecordMapping> mappings() {
        return mappings;
    }

    public StatusTracker status() {
        return status;
    }

    Connector connector() {
        return connector;
    }

    InboundProcessor inbound() {
        return inbound;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    MeshPrincipal principal() {
        return principal;
    }

    boolean writes() {
        return mappings.stream().anyMatch(RecordMapping::outbound);
    }

    boolean reads() {
        return mappings.stream().anyMatch(RecordMapping::inbound);
    }

    /** The outbound mappings by ledger type. */
    Map<String, List<RecordMapping>> outboundByType() {
        return mappings.stream().filter(RecordMapping::outbound).collect(Collectors.groupingBy(RecordMapping::type,
                LinkedHashMap::new, Collectors.toList()));
    }

    Optional<RecordMapping> mapping(String type, String object) {
        return mappings.stream().filter(m -> m.type().equals(type) && m.object().equals(object)).findFirst();
    }

    String inboundEndpoint() {
        return "direct:meshledger-inbound-" + definition.id();
    }

    /** Where the outbound feed sends batches: the core's route, with retries. */
    String outboundEndpoint() {
        return "direct:meshledger-outbound-" + definition.id();
    }

    /** The connector's own writer route. */
    String writerEndpoint() {
        return "direct:meshledger-write-" + definition.id();
    }

    void feed(OutboundFeed feed) {
        this.feed = feed;
    }

    void stop() {
        OutboundFeed current = feed;
        if (current != null) {
            current.stop();
        }
    }

    /** What the core gives the provider's connector. */
    private final class Context implements ConnectorContext {

        private final ConnectorStore store;

        Context(ConnectorStore store) {
            this.store = store;
        }

        @Override
        public String id() {
            return definition.id();
        }

        @Override
        public String party() {
            return definition.party();
        }

        @Override
        public String system() {
            return definition.system();
        }

        @Override
        public ConnectorSettings settings() {
            return definition.settings();
        }

        @Override
        public List<ObjectMapping> mappings() {
            return mappings.stream().map(RecordMapping::describe).toList();
        }

        @Override
        public String inboundEndpoint() {
            return ConnectorInstance.this.inboundEndpoint();
        }

        @Override
        public String outboundEndpoint() {
            return writerEndpoint();
        }

        @Override
        public boolean writes() {
            return ConnectorInstance.this.writes();
        }

        @Override
        public boolean reads() {
            return ConnectorInstance.this.reads();
        }

        @Override
        public Cursors cursors() {
            return new Cursors() {
                @Override
                public Optional<String> get(String stream) {
                    try {
                        return store.cursor(definition.id(), stream);
                    } catch (SQLException e) {
                        throw new IllegalStateException("cannot read the position of " + stream + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public void save(String stream, String position) {
                    try {
                        store.saveCursor(definition.id(), stream, position);
                    } catch (SQLException e) {
                        throw new IllegalStateException("cannot save the position of " + stream + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public void clear(String stream) {
                    try {
                        store.deleteCursor(definition.id(), stream);
                    } catch (SQLException e) {
                        throw new IllegalStateException("cannot clear the position of " + stream + ": " + e.getMessage(), e);
                    }
                }
            };
        }

        @Override
        public SourceReporter reporter() {
            return status;
        }

        @Override
        public void deadLetter(org.meshledger.connect.spi.SourceRecord record, String code, String reason) {
            inbound.deadLetter(record, code, reason);
        }

        @Override
        public int batchSize() {
            return definition.batchSize();
        }
    }
}
