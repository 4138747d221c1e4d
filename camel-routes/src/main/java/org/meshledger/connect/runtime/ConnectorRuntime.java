package org.meshledger.connect.runtime;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.spi.ThreadPoolProfile;
import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorProvider;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.health.ConnectorStatusBoard;
import org.meshledger.persistence.health.ConnectorStatusBoard.State;

/**
 * The node's connectors on one Camel context: every configured connector's routes, the core's
 * inbound and outbound routes around them, and an outbound feed per connector that writes. Camel's
 * threads come from the given factory (the server's managed threads) in a bounded pool; a route that
 * cannot start (its system unreachable) is restarted with backoff by Camel's supervising route
 * controller while the others run. A connector whose configuration is wrong does not start, and
 * says why on the status board; the others start.
 */
public final class ConnectorRuntime implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConnectorRuntime.class.getName());

    private final LedgerCore ledger;
    private final ConnectorStore store;
    private final List<ConnectorDefinition> definitions;
    private final Map<String, ConnectorProvider> providers = new LinkedHashMap<>();
    private final ThreadFactory threads;
    private final Clock clock;
    private final Map<String, ConnectorInstance> instances = new LinkedHashMap<>();
    private CamelContext camel;
    private ProducerTemplate template;
    private DeadLetterReplay replay;

    public ConnectorRuntime(LedgerCore ledger, ConnectorStore store, List<ConnectorDefinition> definitions,
            Collection<ConnectorProvider> providers, ThreadFactory threads, Clock clock) {
        this.ledger = ledger;
        this.store = store;
        this.definitions = List.copyOf(definitions);
        providers.forEach(p -> this.providers.putIfAbsent(p.kind(), p));
        this.threads = threads;
        this.clock = clock;
    }

    public void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName("meshledger-connectors");
        camel.setApplicationContextClassLoader(ConnectorRuntime.class.getClassLoader());
        camel.getExecutorServiceManager().setThreadPoolFactory(new ManagedThreadPoolFactory(threads));
        ThreadPoolProfile pool = camel.getExecutorServiceManager().getDefaultThreadPoolProfile();
        pool.setPoolSize(2);
        pool.setMaxPoolSize(8);
        pool.setMaxQueueSize(1000);
        // A connector's own routes hand their failures up to the core's routes, which retry them.
        camel.getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerBuilder());
        SupervisingRouteController supervisor = camel.getRouteController().supervising();
        supervisor.setBackOffDelay(2_000);
        supervisor.setBackOffMaxDelay(60_000);
        supervisor.setBackOffMultiplier(2);
        supervisor.setThreadPoolSize(1);
        camel.getShutdownStrategy().setTimeout(10);
        for (ConnectorDefinition definition : definitions) {
            StatusTracker status = new StatusTracker(definition, clock);
            if (!definition.enabled()) {
                continue;
            }
            try {
                ConnectorInstance instance = ConnectorInstance.create(definition, providers, ledger, store, status,
                        clock);
                camel.addRoutes(new CoreRoutes(definition.id(), definition.retry(), instance.inbound(),
                        instance.inboundEndpoint(), instance.writes() ? instance.outboundEndpoint() : null,
                        instance.writerEndpoint(), status));
                camel.addRoutes(instance.connector().routes());
                instances.put(definition.id(), instance);
                status.flows(instance.reads(), instance.writes());
                status.onFailed(() -> stopFailed(instance));
            } catch (ConnectorConfigException e) {
                status.state(State.FAILED, e.getMessage());
                LOG.severe(() -> "Connector " + definition.id() + " does not start: " + e.getMessage());
            } catch (Exception e) {
                status.state(State.FAILED, InboundProcessor.describe(e));
                LOG.log(Level.SEVERE, "Connector " + definition.id() + " does not start: " + e.getMessage(), e);
            }
        }
        camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                // Health reads the status board: keep each connector's line in step with its routes.
                from("timer:meshledger-connector-status?period=5000&delay=5000").routeId("meshledger-connector-status")
                        .process(exchange -> instances.values().forEach(ConnectorRuntime.this::refresh));
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
        replay = new DeadLetterReplay(ledger, store, template);
        for (ConnectorInstance instance : instances.values()) {
            if (instance.writes()) {
                OutboundFeed feed = new OutboundFeed(instance.definition().id(), instance.principal(),
                        instance.outboundByType(), ledger, store, instance.deadLetters(), instance.status(), template,
                        instance.outboundEndpoint(), instance.definition().batchSize(),
                        instance.definition().outboundFromStart(), instance.connector().writesChangesOnly());
                instance.feed(feed);
                Thread thread = threads.newThread(feed);
                thread.setName("meshledger-outbound-" + instance.definition().id());
                thread.start();
            }
            refresh(instance);
        }
        LOG.info(() -> "Connectors: " + instances.size() + " of " + definitions.size() + " started "
                + instances.keySet() + "; kinds installed " + providers.keySet());
    }

    /**
     * Stops a connector that reported itself failed ({@link org.meshledger.connect.spi.SourceReporter#failed}):
     * its outbound feed and its routes, on a thread of its own (the report may come from one of those
     * routes, which cannot stop itself). The others run on; it stays failed until the node starts again.
     */
    private void stopFailed(ConnectorInstance instance) {
        String id = instance.definition().id();
        LOG.severe(() -> "Connector " + id + " failed and is stopped: " + instance.status().snapshot().detail());
        Thread stopper = threads.newThread(() -> {
            instance.stop();
            // A refusal can come while the context starts (a login as a component starts): stop once it has.
            for (int i = 0; i < 600 && (camel == null || !camel.isStarted()); i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            for (org.apache.camel.Route route : List.copyOf(camel.getRoutes())) {
                if (!ownRoute(id, route.getRouteId())) {
                    continue;
                }
                try {
                    camel.getRouteController().stopRoute(route.getRouteId());
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "Connector " + id + ": stopping route " + route.getRouteId() + " failed", e);
                }
            }
        });
        stopper.setName("meshledger-stop-" + id);
        stopper.start();
    }

    /** Whether a route is one of this connector's (its id is the prefix, and no longer connector id is). */
    private boolean ownRoute(String id, String routeId) {
        return routeId.startsWith(id + "-") && instances.keySet().stream().noneMatch(other -> other.length() > id
                .length() && other.startsWith(id + "-") && routeId.startsWith(other + "-"));
    }

    /** Brings a connector's state in line with its routes: running, or retrying a route that cannot start. */
    private void refresh(ConnectorInstance instance) {
        String id = instance.definition().id();
        if (instance.status().snapshot().state() == State.FAILED) {
            return; // it refused to go on (and its routes are stopped): that is what operators must see
        }
        SupervisingRouteController supervisor = camel.getRouteController().adapt(SupervisingRouteController.class);
        for (org.apache.camel.Route route : camel.getRoutes()) {
            if (!route.getRouteId().startsWith(id + "-")) {
                continue;
            }
            Throwable failure = supervisor.getRestartException(route.getRouteId());
            ServiceStatus routeStatus = camel.getRouteController().getRouteStatus(route.getRouteId());
            if (failure != null && routeStatus != ServiceStatus.Started) {
                instance.status().state(State.RETRYING, "route " + route.getRouteId() + " cannot start: "
                        + InboundProcessor.describe(failure) + "; restarting with backoff");
                return;
            }
        }
        ConnectorStatusBoard.Snapshot now = instance.status().snapshot();
        if (now.state() == State.STARTING || (now.state() == State.RETRYING && now.detail().startsWith("route "))) {
            instance.status().state(State.RUNNING, ""); // its routes run (again)
        }
    }

    /** Every started connector's state, refreshed from its routes. */
    public List<ConnectorStatusBoard.Snapshot> statuses() {
        instances.values().forEach(this::refresh);
        return ConnectorStatusBoard.all().stream().filter(s -> definitions.stream().anyMatch(d -> d.id().equals(s.id())))
                .toList();
    }

    public Optional<ConnectorDefinition> definition(String id) {
        return definitions.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    public List<ConnectorDefinition> definitions() {
        return definitions;
    }

    public Optional<ConnectorInstance> connector(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    /** Hands a batch to a connector's inbound route (its webhook), and answers what became of it. */
    public InboundReport receive(String connectorId, InboundBatch batch) {
        ConnectorInstance instance = running(connectorId);
        return template.requestBody(instance.inboundEndpoint(), batch, InboundReport.class);
    }

    /** Replays an open dead letter of a connector. */
    public DeadLetterReplay.Outcome replay(String connectorId, long deadLetterId, String by) throws SQLException {
        return replay.replay(running(connectorId), deadLetterId, by);
    }

    /** Replays every open dead letter of a connector, oldest first (at most {@code limit}). */
    public List<DeadLetterReplay.Outcome> replayAll(String connectorId, String by, int limit) throws SQLException {
        ConnectorInstance instance = running(connectorId);
        List<DeadLetterReplay.Outcome> outcomes = new ArrayList<>();
        for (long id : store.openDeadLetterIds(connectorId, limit)) {
            outcomes.add(replay.replay(instance, id, by));
        }
        return outcomes;
    }

    private ConnectorInstance running(String connectorId) {
        ConnectorInstance instance = instances.get(connectorId);
        if (instance == null) {
            throw new IllegalStateException("connector " + connectorId + " is not running");
        }
        return instance;
    }

    public CamelContext camel() {
        return camel;
    }

    @Override
    public void close() {
        instances.values().forEach(ConnectorInstance::stop);
        if (camel != null) {
            try {
                // The routes first (what is in flight completes), then what the connectors hold outside them
                // (their own threads), then the context.
                camel.getRouteController().stopAllRoutes();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Connectors: stopping the routes failed", e);
            }
        }
        for (ConnectorInstance instance : instances.values()) {
            try {
                instance.connector().close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Connector " + instance.definition().id() + ": closing failed", e);
            }
            instance.status().state(State.STOPPED, "the node stopped");
        }
        if (template != null) {
            try {
                template.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "Connectors: closing the producer failed", e);
            }
        }
        if (camel != null) {
            try {
                camel.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Connectors: stopping Camel failed", e);
            }
        }
    }
}
