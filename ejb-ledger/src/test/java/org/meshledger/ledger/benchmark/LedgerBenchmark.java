package org.meshledger.ledger.benchmark;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.BlockApplier;
import org.meshledger.ledger.block.ChainState;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.ordering.InNodeOrdering;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.BlockRow;
import org.meshledger.persistence.ledger.BlockWrite;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;
import org.meshledger.persistence.migration.SchemaMigrations;
import org.meshledger.persistence.testing.TestPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Measures the write path in process (ordering, block applier, PostgreSQL; not the EJB container or
 * HTTP): single-record transactions submitted at full speed with a bounded number in flight, and,
 * in the same run, the same rows committed one transaction at a time, as a ledger without batching
 * would. Run it with the command in docs/performance.md.
 */
public final class LedgerBenchmark {

    private LedgerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int transactions = Integer.getInteger("transactions", 50_000);
        // The highest rate (many in flight), then the latency at a moderate load.
        int[] inFlight = Arrays.stream(System.getProperty("inFlight", "4000,64").split(","))
                .mapToInt(n -> Integer.parseInt(n.trim())).toArray();
        int rawThreads = Integer.getInteger("rawThreads", 16);
        // Durable commits, as in production (the embedded server's test defaults turn fsync off).
        try (EmbeddedPostgres postgres = TestPostgres.durable(Path.of("target/benchmark-postgres"))) {
            System.out.printf("MeshLedger write-path benchmark: %d single-record transactions, %s in flight, %d cores%n",
                    transactions, Arrays.toString(inFlight), Runtime.getRuntime().availableProcessors());
            ledger(database(postgres, "bench_warmup"), Math.min(5_000, transactions / 5), inFlight[0], "warm-up");
            for (int window : inFlight) {
                ledger(database(postgres, "bench_ledger_" + window), transactions, window, "ledger-" + window);
            }
            storeOnly(database(postgres, "bench_store"), transactions);
            raw(database(postgres, "bench_raw"), Math.min(transactions, 20_000), rawThreads);
        }
    }

    private static void ledger(DataSource db, int count, int inFlight, String label) throws Exception {
        new SchemaMigrations(db).migrate();
        LedgerStore store = new LedgerStore(db);
        ChainState chain = ChainState.load(store);
        BlockApplier applier = new BlockApplier(DemoNetwork.get(), new AccessPolicy(), store);
        MeshPrincipal servicer = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.SYSTEM, "servicer-system",
                "bench", Set.of(Role.EDITOR));
        long[] latencies = new long[count];
        AtomicInteger rejected = new AtomicInteger();
        Semaphore window = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(count);
        try (InNodeOrdering ordering = new InNodeOrdering(applier, chain, BlockPolicy.DEFAULT,
                Executors.defaultThreadFactory(), Clock.systemUTC())) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                window.acquire();
                int index = i;
                long submitted = System.nanoTime();
                ordering.submit(new Submission(UUID.randomUUID(), servicer, new TransactionRequest(null, null, null, null,
                        List.of(payment(label + "-" + i))))).committed().whenComplete((outcome, failure) -> {
                            latencies[index] = System.nanoTime() - submitted;
                            if (failure != null || outcome.status() != TransactionStatus.COMMITTED) {
                                rejected.incrementAndGet();
                            }
                            window.release();
                            done.countDown();
                        });
            }
            done.await(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("%-11s %7d tx in %6.2f s = %8.0f tx/s committed; commit latency p50 %6.1f ms, p99 %6.1f ms; "
                    + "%d blocks, %d not committed%n", label, count, seconds, count / seconds,
                    latencies[count / 2] / 1e6, latencies[(int) (count * 0.99)] / 1e6, chain.height(), rejected.get());
        }
    }

    /**
     * The ledger's own database writes alone, for blocks of 1,000 rows prepared in advance: the rate
     * the ledger cannot pass on this machine however fast it evaluates.
     */
    private static void storeOnly(DataSource db, int count) throws Exception {
        new SchemaMigrations(db).migrate();
        LedgerStore store = new LedgerStore(db);
        String state = Json.write(payment("store").body());
        int blocks = Math.max(1, count / BlockPolicy.DEFAULT.maxTransactions());
        long start = System.nanoTime();
        for (int height = 1; height <= blocks; height++) {
            List<TransactionRow> txs = new ArrayList<>();
            List<RecordVersionRow> versions = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < BlockPolicy.DEFAULT.maxTransactions(); i++) {
                UUID id = UUID.randomUUID();
                txs.add(new TransactionRow(id, height, i, "servicer", "system", "bench", null, "committed", null, null,
                        now, null, null, null, "{\"operations\": [\"" + id + "\"], \"versions\": [\"" + id + "\"]}",
                        new byte[32], "[{\"type\": \"Payment\", \"id\": \"" + id + "\", \"version\": 1}]"));
                versions.add(new RecordVersionRow("Payment", "PAY-STORE-" + height + "-" + i, 1, "create", state,
                        "servicer", new byte[32], id, height, now, now, new byte[32], null));
            }
            byte[] hash = UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            store.append(new BlockWrite(new BlockRow(height, "{}", new byte[32], new byte[32], txs.size(), now, hash,
                    new byte[32]), txs, versions));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int written = blocks * BlockPolicy.DEFAULT.maxTransactions();
        System.out.printf("%-11s %7d tx in %6.2f s = %8.0f tx/s written, blocks of %d prepared in advance%n", "store-only",
                written, seconds, written / seconds, BlockPolicy.DEFAULT.maxTransactions());
    }

    /** The rows one transaction writes, committed on their own: the rate of a ledger without batching. */
    private static void raw(DataSource db, int count, int threads) throws Exception {
        new SchemaMigrations(db).migrate();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO ledger_block (height, header, previous_hash, merkle_root, tx_count, block_time, hash, "
                    + "ledger_root) VALUES (1, '{}', '\\x00', '\\x00', 1, now(), '\\x01', '\\x00')");
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                try (Connection c = db.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement tx = c.prepareStatement("INSERT INTO ledger_transaction (tx_id, block_height, "
                            + "position, party, principal_kind, principal_name, status, recorded_at, content, hash, "
                            + "versions) VALUES (?, 1, ?, 'servicer', 'system', 'bench', 'committed', ?, ?::jsonb, ?, "
                            + "?::jsonb)");
                            PreparedStatement version = c.prepareStatement("INSERT INTO record_version (record_type, "
                                    + "record_id, version, operation, state, owner_party, hash, tx_id, block_height, "
                                    + "recorded_at, valid_from, salt) VALUES ('Payment', ?, 1, 'create', ?::jsonb, "
                                    + "'servicer', ?, ?, 1, ?, ?, ?)");
                            PreparedStatement current = c.prepareStatement("INSERT INTO record_current (record_type, "
                                    + "record_id, version, operation, deleted, state, owner_party, hash, tx_id, "
                                    + "block_height, recorded_at, valid_from, salt) VALUES ('Payment', ?, 1, 'create', "
                                    + "false, ?::jsonb, 'servicer', ?, ?, 1, ?, ?, ?)")) {
                        for (int i; (i = next.getAndIncrement()) < count; ) {
                            UUID id = UUID.randomUUID();
                            String state = Json.write(payment("raw-" + i).body());
                            Timestamp now = Timestamp.from(Instant.now());
                            byte[] hash = new byte[32];
                            tx.setObject(1, id);
                            tx.setInt(2, i);
                            tx.setTimestamp(3, now);
                            tx.setString(4, state);
                            tx.setBytes(5, hash);
                            tx.setString(6, "[{\"type\": \"Payment\", \"id\": \"PAY-RAW-" + i + "\", \"version\": 1}]");
                            tx.executeUpdate();
                            // The version row and the current row take the same values.
                            for (PreparedStatement row : List.of(version, current)) {
                                row.setString(1, "PAY-RAW-" + i);
                                row.setString(2, state);
                                row.setBytes(3, hash);
                                row.setObject(4, id);
                                row.setTimestamp(5, now);
                                row.setTimestamp(6, now);
                                row.setBytes(7, hash);
                                row.executeUpdate();
                            }
                            c.commit();
                        }
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-11s %7d tx in %6.2f s = %8.0f tx/s committed, one database transaction each, %d threads%s%n",
                "raw", count, seconds, count / seconds, threads, failures.get() == 0 ? "" : " (" + failures + " failed)");
    }

    private static Operation payment(String key) {
        String id = "PAY-" + key.toUpperCase();
        return new Operation(OperationKind.CREATE, "Payment", id, null, Json.parse("""
                {"paymentId": "%s", "loanNumber": "L-1", "dueDate": "2026-11-01",
                 "scheduledAmount": {"amount": "1944.35", "currency": "USD"}, "status": "scheduled"}""".formatted(id)));
    }

    private static DataSource database(EmbeddedPostgres postgres, String prefix) throws Exception {
        String name = TestPostgres.newDatabase(postgres, prefix);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.url(postgres, name));
        ds.setUser("postgres");
        ds.setReWriteBatchedInserts(true);
        // Pooled, as the server's datasource is: a new connection per query would dominate.
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(ds);
        pool.setMaximumPoolSize(20);
        pool.setPoolName(name);
        return new HikariDataSource(pool);
    }
}
