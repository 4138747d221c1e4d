package org.meshledger.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import org.meshledger.connect.dynamics.FakeDataverse;
import org.meshledger.connect.salesforce.FakeSalesforce;

/**
 * The demo's CRMs: the servicer's Salesforce and the loan owner's Dynamics 365, as the local fakes
 * the connectors' tests use (they speak those products' APIs), and the connectors file that points
 * the node's connectors at them (with the securitizer's file depot and the servicer's webhook).
 */
final class CrmFakes implements AutoCloseable {

    private static final String CONNECTORS = "/connectors/demo-connectors.json";

    private final FakeSalesforce salesforce;
    private final FakeDataverse dynamics;
    private final Path connectorsFile;
    private final Path depot;
    /** The newest records each fake keeps per object or table; older ones are forgotten (README). */
    static final int RETAINED = 25_000;

    private CrmFakes(FakeSalesforce salesforce, FakeDataverse dynamics, Path connectorsFile, Path depot) {
        this.salesforce = salesforce;
        this.dynamics = dynamics;
        this.connectorsFile = connectorsFile;
        this.depot = depot;
    }

    static CrmFakes start(Path home, int salesforcePort, int dynamicsPort) {
        Ports.requireFree(salesforcePort, "the Salesforce fake", "MESHLEDGER_SALESFORCE_FAKE_PORT");
        Ports.requireFree(dynamicsPort, "the Dynamics 365 fake", "MESHLEDGER_DYNAMICS_FAKE_PORT");
        FakeSalesforce salesforce = null;
        try {
            // A bounded subset of the synced records, so that a demo of any size fits in memory.
            salesforce = FakeSalesforce.start(salesforcePort).object("Payment__c", "MeshLedger_Id__c")
                    .object("Loan__c", "MeshLedger_Id__c").object("Contact", "MeshLedger_Id__c")
                    .object("Case", "MeshLedger_Id__c").retain(RETAINED);
            FakeDataverse dynamics = FakeDataverse.start(dynamicsPort).table("new_payments", "new_paymentid",
                    "new_meshledgerid").table("new_loans", "new_loanid", "new_loannumber").retain(RETAINED);
            Path file = home.resolve("connectors.json");
            Files.createDirectories(home);
            try (InputStream in = CrmFakes.class.getResourceAsStream(CONNECTORS)) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return new CrmFakes(salesforce, dynamics, file, home.resolve("depot"));
        } catch (IOException e) {
            if (salesforce != null) {
                salesforce.close();
            }
            throw new StackException("cannot start the CRM fakes: " + e.getMessage());
        }
    }

    /** What the node needs to find its connectors and their systems. */
    Map<String, String> nodeEnvironment() {
        return Map.of("MESHLEDGER_CONNECTORS_FILE", connectorsFile.toString(),
                "MESHLEDGER_DEMO_SALESFORCE_URL", salesforce.url(),
                "MESHLEDGER_DEMO_DYNAMICS_URL", dynamics.url(),
                "MESHLEDGER_DEMO_DEPOT", depot.toString());
    }

    FakeSalesforce salesforce() {
        return salesforce;
    }

    FakeDataverse dynamics() {
        return dynamics;
    }

    Path depot() {
        return depot;
    }

    @Override
    public void close() {
        salesforce.close();
        dynamics.close();
    }
}
