package org.meshledger.connect.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.config.ConnectorsLoader;
import org.meshledger.connect.runtime.ConnectorRuntime;
import org.meshledger.connect.spi.ConnectorProvider;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.connector.DeadLetterRow;

/**
 * Connectors running on an {@link EmbeddedLedger} as the node runs them: the connectors file's
 * JSON, every connector kind on the test class path (ServiceLoader), one Camel context.
 */
public final class ConnectorsHarness implements AutoCloseable {

    private final ConnectorRuntime runtime;
    private final ConnectorStore store;
    private final ProducerTemplate template;

    private ConnectorsHarness(ConnectorRuntime runtime, ConnectorStore store) {
        this.runtime = runtime;
        this.store = store;
        this.template = runtime.camel().createProducerTemplate();
    }

    /** Starts the connectors of a connectors file's JSON; placeholders come from {@code environment}. */
    public static ConnectorsHarness start(EmbeddedLedger ledger, String connectorsJson, Map<String, String> environment)
            throws Exception {
        List<ConnectorDefinition> definitions = new ConnectorsLoader(environment::get,
                EmbeddedLedger.network().parties().stream().map(p -> p.id().value()).collect(Collectors.toSet()))
                .load(new ByteArrayInputStream(connectorsJson.getBytes(StandardCharsets.UTF_8)), "test connectors");
        List<ConnectorProvider> providers = new ArrayList<>();
        ServiceLoader.load(ConnectorProvider.class).forEach(providers::add);
        ConnectorStore store = new ConnectorStore(ledger.dataSource(), Clock.systemUTC());
        ConnectorRuntime runtime = new ConnectorRuntime(ledger.core(), store, definitions, providers,
                Executors.defaultThreadFactory(), Clock.systemUTC());
        runtime.start();
        return new ConnectorsHarness(runtime, store);
    }

    public static ConnectorsHarness start(EmbeddedLedger ledger, String connectorsJson) throws Exception {
        return start(ledger, connectorsJson, Map.of());
    }

    public ConnectorRuntime runtime() {
        return runtime;
    }

    public ConnectorStore store() {
        return store;
    }

    public ProducerTemplate template() {
        return template;
    }

    public List<DeadLetterRow> openDeadLetters(String connectorId) throws SQLException {
        return store.deadLetters(connectorId, DeadLetterRow.OPEN, 0, 1000);
    }

    @Override
    public void close() throws IOException {
        template.close();
        runtime.close();
    }
}
