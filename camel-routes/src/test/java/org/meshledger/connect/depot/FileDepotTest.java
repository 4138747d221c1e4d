package org.meshledger.connect.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshledger.connect.testkit.Await;
import org.meshledger.connect.testkit.ConnectorsHarness;
import org.meshledger.connect.testkit.EmbeddedLedger;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.connector.DeadLetterRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * A servicer's legacy file drops, both ways, with the real Camel file and SFTP components (an Apache
 * MINA SSHD server in this process for SFTP): CSV payments and fixed-width loan records in, payment
 * changes out, in the party's own layouts.
 */
class FileDepotTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    static String connector(String location, String outLocation) {
        return """
                {"connectors": [{"id": "servicer-depot", "kind": "file-depot", "party": "servicer", "system": "legacy-depot",
                  "retry": {"maxAttempts": 2, "firstDelayMs": 20, "maxDelayMs": 20},
                  "settings": {"inbound": %s, "outbound": %s, "pollMs": 100},
                  "mappings": [
                    {"type": "Payment", "object": "PAYMENTS",
                     "file": {"format": "csv", "pattern": "payments-.*\\\\.csv", "name": "payments-{height}-{hash}.csv"},
                     "fields": {
                       "paymentId": "PAYMENT_ID", "loanNumber": "LOAN_NO",
                       "dueDate": {"system": "DUE_DATE", "format": "yyyyMMdd"},
                       "scheduledAmount": {"system": "AMOUNT", "currency": "USD"},
                       "status": {"system": "STATUS", "values": {"01": "scheduled", "02": "received", "03": "missed"}}
                     }},
                    {"type": "Loan", "object": "LOANS", "direction": "inbound",
                     "file": {"format": "fixed-width", "pattern": "LOANS\\\\..*\\\\.DAT", "recordPrefix": "D",
                              "columns": [
                                {"name": "LOAN_NO", "start": 2, "length": 10},
                                {"name": "BORROWER", "start": 12, "length": 8},
                                {"name": "PROPERTY", "start": 20, "length": 8},
                                {"name": "PRINCIPAL_CENTS", "start": 28, "length": 12, "align": "right", "pad": "0"},
                                {"name": "RATE", "start": 40, "length": 6, "align": "right"},
                                {"name": "TERM", "start": 46, "length": 3, "align": "right", "pad": "0"},
                                {"name": "ORIGINATED", "start": 49, "length": 8},
                                {"name": "STATUS", "start": 57, "length": 1}
                              ]},
                     "fields": {
                       "loanNumber": "LOAN_NO", "borrowerId": "BORROWER", "propertyId": "PROPERTY",
                       "originalPrincipal": {"system": "PRINCIPAL_CENTS", "factor": 100, "currency": "USD"},
                       "interestRate": "RATE", "termMonths": "TERM",
                       "originationDate": {"system": "ORIGINATED", "format": "yyyyMMdd"},
                       "status": {"system": "STATUS", "values": {"C": "current", "D": "delinquent"}}
                     }}
                  ]}]}
                """.formatted(location, outLocation);
    }

    private EmbeddedLedger ledger;
    private ConnectorsHarness connectors;
    private Path depot;
    private SshServer sftp;

    @BeforeEach
    void start() throws Exception {
        ledger = EmbeddedLedger.fresh();
        depot = Files.createDirectories(Path.of("target", "depot-" + System.nanoTime()).toAbsolutePath());
    }

    @AfterEach
    void stop() throws Exception {
        if (connectors != null) {
            connectors.close();
        }
        ledger.close();
        if (sftp != null) {
            sftp.stop(true);
        }
    }

    private void startLocal() throws Exception {
        connectors = ConnectorsHarness.start(ledger, connector(
                "{\"directory\": \"" + depot.resolve("in") + "\"}", "{\"directory\": \"" + depot.resolve("out") + "\"}"));
    }

    private static void drop(Path directory, String name, String content) throws IOException {
        Files.createDirectories(directory);
        Path partial = directory.resolve("." + name + ".tmp");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, directory.resolve(name));
    }

    @Test
    void csvPaymentsBecomeLedgerRecordsWithTheirLineageAndBadLinesAreDeadLettered() throws Exception {
        startLocal();
        drop(depot.resolve("in"), "payments-20261101.csv", """
                PAYMENT_ID,LOAN_NO,DUE_DATE,AMOUNT,STATUS
                PAY-F1,L-1,20261101,1500.00,01
                PAY-F2,L-1,20261345,1500.00,01
                PAY-F3,L-2,20261101,980.5,03
                """);
        Await.until("the file to be read", WAIT, () -> Files.exists(depot.resolve("in/.done/payments-20261101.csv")));
        JsonNode f1 = ledger.state("Payment", "PAY-F1");
        assertEquals("2026-11-01", f1.path("dueDate").asText());
        assertEquals("1500.00", f1.path("scheduledAmount").path("amount").asText());
        assertEquals("missed", ledger.state("Payment", "PAY-F3").path("status").asText());
        assertEquals("980.50", ledger.state("Payment", "PAY-F3").path("scheduledAmount").path("amount").asText());
        assertNull(ledger.state("Payment", "PAY-F2"));
        TransactionRow tx = ledger.core().store().transaction(ledger.current("Payment", "PAY-F1").txId()).orElseThrow();
        assertEquals("legacy-depot", tx.sourceSystem());
        assertEquals("PAYMENTS/PAY-F1", tx.sourceReference());
        assertEquals("servicer-depot", tx.principalName());

        List<DeadLetterRow> letters = connectors.openDeadLetters("servicer-depot");
        assertEquals(1, letters.size());
        assertEquals("PAYMENTS PAY-F2 field DUE_DATE: '20261345' is not a date in the format yyyyMMdd",
                letters.get(0).reason());

        // The same file dropped again commits nothing twice.
        long transactions = ledger.count("SELECT count(*) FROM ledger_transaction");
        drop(depot.resolve("in"), "payments-20261101.csv", Files.readString(depot.resolve(
                "in/.done/payments-20261101.csv")));
        Await.until("the file to be read again", WAIT, () -> !Files.exists(depot.resolve("in/payments-20261101.csv")));
        assertEquals(transactions, ledger.count("SELECT count(*) FROM ledger_transaction"));
        assertEquals(1, connectors.openDeadLetters("servicer-depot").size());
        assertEquals(2, connectors.openDeadLetters("servicer-depot").get(0).attempts());
    }

    @Test
    void fixedWidthLoanRecordsAreReadByPosition() throws Exception {
        startLocal();
        String d1 = "DL-100     B-100   P-100   000025000000 6.125360" + "20250115C";
        String d2 = "DL-101     B-101   P-101   000012345600   4.5180" + "20240301D";
        drop(depot.resolve("in"), "LOANS.20261101.DAT", "H20261101 LOANS\n" + d1 + "\n" + d2 + "\nT00002\n");
        Await.until("the loans to be committed", WAIT, () -> ledger.state("Loan", "L-101") != null);
        JsonNode loan = ledger.state("Loan", "L-100");
        assertEquals("250000.00", loan.path("originalPrincipal").path("amount").asText());
        assertEquals("6.125", loan.path("interestRate").asText());
        assertEquals(360, loan.path("termMonths").asInt());
        assertTrue(loan.path("termMonths").isInt());
        assertEquals("2025-01-15", loan.path("originationDate").asText());
        assertEquals("current", loan.path("status").asText());
        assertEquals("123456.00", ledger.state("Loan", "L-101").path("originalPrincipal").path("amount").asText());
        assertEquals("delinquent", ledger.state("Loan", "L-101").path("status").asText());
        assertEquals(180, ledger.state("Loan", "L-101").path("termMonths").asInt());
    }

    @Test
    void ledgerChangesAreWrittenAsFilesInThePartysLayoutWithoutEchoingItsOwnDrops() throws Exception {
        startLocal();
        drop(depot.resolve("in"), "payments-a.csv", "PAYMENT_ID,LOAN_NO,DUE_DATE,AMOUNT,STATUS\nPAY-F9,L-9,20261201,10,01\n");
        Await.until("PAY-F9 to be committed", WAIT, () -> ledger.state("Payment", "PAY-F9") != null);
        // The servicer's user records it as received in the portal: that change goes to the depot.
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-F9",
                null, Json.object().put("status", "received")));
        Path out = depot.resolve("out");
        List<Path> files = Await.until("a payments file in the outbound directory", WAIT, () -> list(out),
                l -> !l.isEmpty());
        assertEquals(1, files.size(), files.toString());
        assertTrue(files.get(0).getFileName().toString().matches("payments-\\d+-[0-9a-f]{12}\\.csv"), files.toString());
        List<String> lines = Files.readAllLines(files.get(0));
        assertEquals(List.of("PAYMENT_ID,LOAN_NO,DUE_DATE,AMOUNT,STATUS", "PAY-F9,L-9,20261201,10.00,02"), lines);
    }

    @Test
    void theDepotCanBeOnAnSftpServer() throws Exception {
        Path root = Files.createDirectories(depot.resolve("sftp-root"));
        sftp = SshServer.setUpDefaultServer();
        sftp.setHost("127.0.0.1");
        sftp.setPort(0);
        sftp.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(depot.resolve("host-key.ser")));
        sftp.setPasswordAuthenticator((user, password, session) -> "depot".equals(user) && "s3cret".equals(password));
        sftp.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sftp.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sftp.start();
        String location = "{\"sftp\": {\"host\": \"127.0.0.1\", \"port\": %d, \"username\": \"depot\", "
                + "\"password\": \"${DEPOT_PASSWORD}\", \"directory\": \"%s\", \"strictHostKeyChecking\": false}}";
        connectors = ConnectorsHarness.start(ledger, connector(location.formatted(sftp.getPort(), "outgoing"),
                location.formatted(sftp.getPort(), "incoming")), Map.of("DEPOT_PASSWORD", "s3cret"));
        drop(root.resolve("outgoing"), "payments-sftp.csv",
                "PAYMENT_ID,LOAN_NO,DUE_DATE,AMOUNT,STATUS\nPAY-S1,L-5,20261101,42.10,01\n");
        Await.until("the SFTP file to be committed", WAIT, () -> ledger.state("Payment", "PAY-S1") != null);
        Await.until("the SFTP file to be moved to .done", WAIT,
                () -> Files.exists(root.resolve("outgoing/.done/payments-sftp.csv")));
        ledger.commit(EmbeddedLedger.user("servicer", "sam"), new Operation(OperationKind.UPDATE, "Payment", "PAY-S1",
                null, Json.object().put("status", "missed")));
        List<Path> files = Await.until("a file on the SFTP server", WAIT, () -> list(root.resolve("incoming")),
                l -> !l.isEmpty());
        assertEquals("PAY-S1,L-5,20261101,42.10,03", Files.readAllLines(files.get(0)).get(1));
    }

    private static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.naturalOrder()).toList();
        }
    }
}
