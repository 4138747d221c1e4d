package org.meshledger.stack.network;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NetworkLoader;
import org.meshledger.ledger.network.NetworkOfNodes;
import org.meshledger.ledger.ordering.kafka.OrderLogSettings;
import org.meshledger.ledger.ordering.network.NetworkOrdering;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.ledger.service.NetworkNodeOrdering;
import org.meshledger.ledger.views.NodeKeys;
import org.meshledger.persistence.migration.SchemaMigrations;
import org.meshledger.persistence.testing.TestPostgres;

/**
 * The demo network as three nodes in this process, as their servers would run them: each node's
 * ledger on a database of its own (one PostgreSQL server), ordered on one Kafka broker, with key
 * files of its own. A node can be stopped and started again on its database.
 */
final class ThreeNodes implements AutoCloseable {

    static final List<String> IDS = List.of("owner-node", "servicer-node", "securitizer-node");
    private static final String DEMO = "/networks/mortgage-servicing.network.json";
    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable);
        thread.setDaemon(true);
        return thread;
    };

    private final NetworkDefinition network;
    private final String bootstrap;
    private final Map<String, NodeKeys.Pair> keys = new LinkedHashMap<>();
    private final Map<String, HikariDataSource> databases = new LinkedHashMap<>();
    private final Map<String, LedgerCore> cores = new LinkedHashMap<>();

    ThreeNodes(String networkId, Path keysFolder, EmbeddedPostgres postgres, String bootstrap) throws Exception {
        this.bootstrap = bootstrap;
        List<NetworkOfNodes.Entry> entries = new ArrayList<>();
        for (List<String> node : NetworkOfNodes.DEMO_TOPOLOGY) {
            NodeKeys.Pair pair = NodeKeys.create(keysFolder.resolve(networkId).resolve(node.get(0)));
            keys.put(node.get(0), pair);
            entries.add(new NetworkOfNodes.Entry(node.get(0), node.subList(1, node.size()),
                    pair.signing().publicKeyBase64(), pair.encryption().publicKeyBase64(), "User:" + node.get(0), null));
        }
        ObjectNode file;
        try (InputStream in = ThreeNodes.class.getResourceAsStream(DEMO)) {
            file = (ObjectNode) Json.MAPPER.readTree(in);
        }
        file.put("network", networkId);
        this.network = new NetworkLoader().load(new ByteArrayInputStream(Json.write(NetworkOfNodes.withNodes(file,
                entries)).getBytes(StandardCharsets.UTF_8)), networkId);
        for (String id : IDS) {
            HikariConfig pool = new HikariConfig();
            pool.setJdbcUrl(TestPostgres.url(postgres, TestPostgres.newDatabase(postgres, id.replace('-', '_'))));
            pool.setUsername("postgres");
            pool.setMaximumPoolSize(6);
            pool.addDataSourceProperty("reWriteBatchedInserts", "true");
            HikariDataSource db = new HikariDataSource(pool);
            new SchemaMigrations(db).migrate();
            databases.put(id, db);
            start(id);
        }
    }

    NetworkDefinition network() {
        return network;
    }

    LedgerCore node(String id) {
        return cores.get(id);
    }

    HikariDataSource database(String id) {
        return databases.get(id);
    }

    NetworkOrdering ordering(String id) {
        return ((NetworkNodeOrdering) cores.get(id).ordering()).ordering();
    }

    /** Starts a node (again) on its database. */
    void start(String id) throws SQLException {
        cores.put(id, LedgerCore.openNode(network, id, databases.get(id), keys.get(id),
                OrderLogSettings.demo(bootstrap, network.id()), NetworkOrdering.Settings.DEFAULT, DAEMONS,
                Clock.systemUTC()));
    }

    /** Stops a node; its database stays. */
    void stop(String id) {
        LedgerCore core = cores.remove(id);
        if (core != null) {
            core.close();
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(cores.keySet())) {
            stop(id);
        }
        databases.values().forEach(HikariDataSource::close);
    }
}
