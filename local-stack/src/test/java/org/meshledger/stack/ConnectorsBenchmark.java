package org.meshledger.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.meshledger.connect.dynamics.FakeDataverse;
import org.meshledger.connect.salesforce.FakeSalesforce;
import org.meshledger.connect.testkit.Await;
import org.meshledger.connect.testkit.ConnectorsHarness;
import org.meshledger.connect.testkit.EmbeddedLedger;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.persistence.health.ConnectorStatusBoard;
import org.meshledger.persistence.testing.TestPostgres;

/**
 * The connectors' throughput and lag, in process with the node's own parts (ledger, connector
 * runtime, Camel, the real camel-salesforce and Dataverse client) on PostgreSQL with durable commits,
 * against the local fakes of Dynamics 365 and Salesforce (on loopback, on the same two cores):
 * <ol>
 * <li>inbound from Dynamics: records waiting in a table with change tracking, read page by page into
 * committed ledger transactions (one per record);</li>
 * <li>inbound from Salesforce: Change Data Capture events retained in the org, taken in from the
 * stream into committed ledger transactions;</li>
 * <li>outbound lag: the servicer commits payments at a steady rate, and the servicer's Salesforce and
 * the loan owner's Dynamics receive them; the time from commit to the system's write.</li>
 * </ol>
 * Run it with the command in docs/performance.md.
 */
public final class ConnectorsBenchmark {

    private ConnectorsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("records", 20_000);
        int[] rates = Arrays.stream(System.getProperty("rates", "500,1000").split(","))
                .mapToInt(r -> Integer.parseInt(r.trim())).toArray();
        int seconds = Integer.getInteger("seconds", 20);
        Path work = Path.of("target/connectors-benchmark").toAbsolutePath();
        try (EmbeddedPostgres postgres = TestPostgres.durable(work.resolve("postgres"))) {
            System.out.printf("MeshLedger connectors benchmark: %d records in, %s payments/s out for %d s each, %d cores%n",
                    records, Arrays.toString(rates), seconds, Runtime.getRuntime().availableProcessors());
            dynamicsInbound(postgres, Math.min(records, 2_000), "warm-up");
            dynamicsInbound(postgres, records, "dynamics-in");
            salesforceInbound(postgres, records, "salesforce-in");
            for (int rate : rates) {
                outbound(postgres, rate, seconds);
            }
        }
        System.exit(0); // camel-salesforce's HTTP client leaves non-daemon threads behind
    }

    private static final String PAYMENTS = "SELECT count(*) FROM record_current WHERE record_type = 'Payment'";

    /** Records waiting in Dynamics, read through change tracking into the ledger. */
    private static void dynamicsInbound(EmbeddedPostgres postgres, int records, String label) throws Exception {
        try (FakeDataverse dataverse = FakeDataverse.start(0).table("new_payments", "new_paymentid", "new_meshledgerid")) {
            for (int i = 0; i < records; i++) {
                dataverse.userChange("new_payments", "PAY-D-" + i, JsonNodeFactory.instance.objectNode()
                        .put("new_loannumber", "L-" + (i % 1000)).put("new_duedate", "2026-11-01")
                        .put("new_amountdue", 1500.25).put("new_paymentstatus", 100000003));
            }
            String connectors = """
                    {"connectors": [{"id": "servicer-dynamics", "kind": "dynamics", "party": "servicer",
                      "settings": {"url": "%s", "tokenUrl": "%s", "clientId": "%s", "clientSecret": "%s",
                                   "pollMs": 50, "pageSize": 5000},
                      "mappings": [{"type": "Payment", "object": "new_payments", "direction": "inbound",
                        "primaryId": "new_paymentid",
                        "fields": {"paymentId": "new_meshledgerid", "loanNumber": "new_loannumber",
                                   "dueDate": "new_duedate", "scheduledAmount": {"system": "new_amountdue", "currency": "USD"},
                                   "status": {"system": "new_paymentstatus", "values": {"100000003": "missed"}}}}]}]}
                    """.formatted(dataverse.url(), dataverse.tokenUrl(), FakeDataverse.CLIENT_ID,
                    FakeDataverse.CLIENT_SECRET);
            measureInbound(postgres, connectors, records, label);
        }
    }

    /** Change events retained in Salesforce, taken in from the stream into the ledger. */
    private static void salesforceInbound(EmbeddedPostgres postgres, int records, String label) throws Exception {
        try (FakeSalesforce salesforce = FakeSalesforce.start(0).object("Payment__c", "MeshLedger_Id__c")) {
            for (int i = 0; i < records; i++) {
                salesforce.userChange("Payment__c", "PAY-S-" + i, JsonNodeFactory.instance.objectNode()
                        .put("Loan_Number__c", "L-" + (i % 1000)).put("Due_Date__c", "2026-11-01")
                        .put("Amount_Due__c", 1500.25).put("CurrencyIsoCode", "USD").put("Status__c", "Missed"));
            }
            String connectors = """
                    {"connectors": [{"id": "servicer-salesforce", "kind": "salesforce", "party": "servicer",
                      "settings": {"loginUrl": "%s", "clientId": "%s", "clientSecret": "%s", "initialReplayId": -2},
                      "mappings": [{"type": "Payment", "object": "Payment__c", "direction": "inbound",
                        "fields": {"paymentId": "MeshLedger_Id__c", "loanNumber": "Loan_Number__c",
                                   "dueDate": "Due_Date__c",
                                   "scheduledAmount": {"system": "Amount_Due__c", "currencyField": "CurrencyIsoCode"},
                                   "status": {"system": "Status__c", "values": {"Missed": "missed"}}}}]}]}
                    """.formatted(salesforce.url(), FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET);
            measureInbound(postgres, connectors, records, label);
        }
    }

    /** Starts the connectors and times them until every waiting record is committed. */
    @SuppressWarnings("try") // the connectors run while the ledger is watched
    private static void measureInbound(EmbeddedPostgres postgres, String connectors, int records, String label)
            throws Exception {
        try (EmbeddedLedger ledger = EmbeddedLedger.fresh(postgres, 20)) {
            long start = System.nanoTime();
            try (ConnectorsHarness running = ConnectorsHarness.start(ledger, connectors)) {
                Await.until(records + " payments committed", Duration.ofMinutes(10),
                        () -> ledger.count(PAYMENTS) >= records);
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.out.printf("%-14s %6d records in %6.2f s = %6.0f records/s committed, one transaction each "
                        + "(%d blocks)%n", label, records, elapsed, records / elapsed, ledger.core().chain().height());
            }
        }
    }

    /** Payments committed at a steady rate, timed until each system has them. */
    private static void outbound(EmbeddedPostgres postgres, int rate, int seconds) throws Exception {
        try (FakeSalesforce salesforce = FakeSalesforce.start(0).object("Payment__c", "MeshLedger_Id__c");
                FakeDataverse dataverse = FakeDataverse.start(0).table("new_payments", "new_paymentid",
                        "new_meshledgerid")) {
            String connectors = """
                    {"connectors": [
                     {"id": "servicer-salesforce", "kind": "salesforce", "party": "servicer",
                      "settings": {"loginUrl": "%s", "clientId": "%s", "clientSecret": "%s"},
                      "mappings": [{"type": "Payment", "object": "Payment__c", "direction": "outbound",
                        "fields": {"paymentId": "MeshLedger_Id__c", "loanNumber": "Loan_Number__c",
                                   "scheduledAmount": {"system": "Amount_Due__c", "currencyField": "CurrencyIsoCode"},
                                   "status": "Status__c"}}]},
                     {"id": "owner-dynamics", "kind": "dynamics", "party": "loan-owner",
                      "settings": {"url": "%s", "tokenUrl": "%s", "clientId": "%s", "clientSecret": "%s"},
                      "mappings": [{"type": "Payment", "object": "new_payments", "direction": "outbound",
                        "primaryId": "new_paymentid",
                        "fields": {"paymentId": "new_meshledgerid", "loanNumber": "new_loannumber",
                                   "scheduledAmount": {"system": "new_amountdue", "currency": "USD"},
                                   "status": "new_paymentstatus"}}]}]}
                    """.formatted(salesforce.url(), FakeSalesforce.CLIENT_ID, FakeSalesforce.CLIENT_SECRET,
                    dataverse.url(), dataverse.tokenUrl(), FakeDataverse.CLIENT_ID, FakeDataverse.CLIENT_SECRET);
            int count = rate * seconds;
            long[] committedAt = new long[count];
            long[] toSalesforce = new long[count];
            long[] toDynamics = new long[count];
            AtomicInteger salesforceWrites = new AtomicInteger();
            AtomicInteger dynamicsWrites = new AtomicInteger();
            long[] lastWrite = new long[2];
            Map<String, Integer> index = new ConcurrentHashMap<>();
            salesforce.onApiWrite(timer(index, committedAt, toSalesforce, salesforceWrites, lastWrite, 0));
            dataverse.onApiWrite(timer(index, committedAt, toDynamics, dynamicsWrites, lastWrite, 1));
            try (EmbeddedLedger ledger = EmbeddedLedger.fresh(postgres, 20);
                    ConnectorsHarness running = ConnectorsHarness.start(ledger, connectors)) {
                MeshPrincipal servicer = new MeshPrincipal(new PartyId("servicer"), PrincipalKind.SYSTEM,
                        "servicer-system", "bench", Set.of(Role.EDITOR));
                // Warm-up: both connectors logged in and writing.
                for (int i = 0; i < 100; i++) {
                    ledger.core().submitter().submit(servicer, request("PAY-W-" + i)).get(30, TimeUnit.SECONDS);
                }
                long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((salesforce.size("Payment__c") < 100 || dataverse.size("new_payments") < 100)
                        && System.nanoTime() < warm) {
                    Thread.sleep(20);
                }
                long start = System.nanoTime();
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                for (int i = 0; i < count; i++) {
                    long wait = start + i * interval - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    String id = "PAY-O-" + i;
                    index.put(id, i);
                    int n = i;
                    ledger.core().submitter().submit(servicer, request(id)).whenComplete((outcome, failure) -> {
                        long now = System.nanoTime();
                        committedAt[n] = committedAt[n] == 0 ? now : Math.min(committedAt[n], now);
                    });
                }
                long submittedAt = System.nanoTime();
                double submitted = (submittedAt - start) / 1e9;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while ((salesforceWrites.get() < count || dynamicsWrites.get() < count) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                report("to-salesforce", rate, count, submitted, (lastWrite[0] - submittedAt) / 1e9,
                        salesforceWrites.get(), toSalesforce, errors(running, "servicer-salesforce"));
                report("to-dynamics", rate, count, submitted, (lastWrite[1] - submittedAt) / 1e9, dynamicsWrites.get(),
                        toDynamics, errors(running, "owner-dynamics"));
            }
        }
    }

    private static Consumer<String> timer(Map<String, Integer> index, long[] committedAt, long[] lag,
            AtomicInteger writes, long[] lastWrite, int system) {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return key -> {
            long now = System.nanoTime();
            Integer i = index.get(key);
            if (i == null || !seen.add(key)) {
                return; // not measured, or written again (a retry)
            }
            // The commit callback may run a moment after the connector already wrote it.
            long committed = committedAt[i] == 0 ? now : Math.min(committedAt[i], now);
            if (committedAt[i] == 0) {
                committedAt[i] = now;
            }
            lag[writes.getAndIncrement()] = now - committed;
            lastWrite[system] = Math.max(lastWrite[system], now);
        };
    }

    private static TransactionRequest request(String id) {
        ObjectNode data = Json.object().put("paymentId", id).put("loanNumber", "L-1").put("dueDate", "2026-11-01")
                .put("status", "missed");
        data.putObject("scheduledAmount").put("amount", "1500.25").put("currency", "USD");
        return new TransactionRequest(null, null, null, null, List.of(new Operation(OperationKind.CREATE, "Payment", id,
                0, data)));
    }

    /** The connector's failed attempts so far (each retried). */
    private static long errors(ConnectorsHarness running, String connector) {
        return running.runtime().statuses().stream().filter(s -> s.id().equals(connector))
                .mapToLong(ConnectorStatusBoard.Snapshot::errors).findFirst().orElse(-1L);
    }

    /** @param after how long after the last submission the last write came */
    private static void report(String label, int rate, int count, double submitted, double after, int written,
            long[] lag, long errors) {
        long[] sorted = Arrays.copyOf(lag, Math.min(written, count));
        Arrays.sort(sorted);
        // Sustained: every payment written, the last within a second of the last submission.
        boolean sustained = written >= count && after < 1.0;
        System.out.printf("%-14s %6d payments at %5d/s (%5.0f/s submitted), %6d written; commit -> written p50 %6.1f ms, "
                + "p99 %7.1f ms, max %7.1f ms; %d retries; %s%n", label, count, rate, count / submitted, written,
                ms(sorted, 0.5), ms(sorted, 0.99), ms(sorted, 1.0), errors, sustained ? "sustained" : "NOT sustained");
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }
}
