package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.meshledger.stack.DemoLoader;
import org.meshledger.stack.DemoNetworkData;

/**
 * The run command's demo network, loaded through the API as the parties' systems: every generated
 * record fits the schema and the access rules, a second load writes nothing, and the demo home
 * owner sees his own loan only.
 */
@MeshLedgerIT
class DemoNetworkIT {

    private static final int LOANS = 40;
    private static final long SEED = 20261101L;

    private final WebClient web = new WebClient();

    @Test
    void theDemoNetworkLoadsAndLoadingAgainWritesNothing() {
        DemoLoader loader = new DemoLoader(TestStack.portalUrl(), Keycloak.realmUrl());
        List<String> progress = new ArrayList<>();

        DemoLoader.Result first = loader.load(LOANS, SEED, progress::add);
        DemoLoader.Result again = loader.load(LOANS, SEED, line -> { });

        assertEquals(DemoNetworkData.transactions(LOANS, SEED).size(), first.transactions());
        assertEquals(first.transactions(), first.written() + first.alreadyThere());
        assertEquals(0, again.written(), "a second load writes nothing");
        assertEquals(first.transactions(), again.alreadyThere());
        assertFalse(progress.isEmpty(), "loading tells how far it got");
        assertTrue(progress.get(progress.size() - 1).contains("(100%)"), progress.toString());

        String servicer = Tokens.system("servicer");
        JsonNode loan = Json.parse(web.get(TestStack.portalUrl() + "/api/records/Loan/L-000040", servicer).body());
        assertEquals("B-000040", loan.at("/state/borrowerId").asText(), loan.toString());
        JsonNode payments = Json.parse(web.get(TestStack.portalUrl()
                + "/api/records/Payment?filter.loanNumber=L-000040&size=50", servicer).body());
        assertEquals(12, payments.get("total").asInt(), "a year of monthly payments: " + payments);
        for (int pool = 1; pool <= 5; pool++) {
            JsonNode security = Json.parse(web.get(TestStack.portalUrl() + "/api/records/Security/S-0" + pool,
                    Tokens.system("securitizer")).body());
            assertTrue(security.at("/state/name").asText().startsWith("MeshLedger Demo Trust"), security.toString());
        }

        String hugo = Tokens.user("home-owner", "editor");
        assertEquals(200, web.get(TestStack.portalUrl() + "/api/records/Loan/L-000001", hugo).statusCode(),
                "the demo home owner's loan");
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/records/Loan/L-000002", hugo).statusCode(),
                "and nobody else's");
    }

    @Test
    void theDemoNetworkIsTheSameEveryTime() {
        assertEquals(DemoNetworkData.transactions(25, SEED).toString(), DemoNetworkData.transactions(25, SEED).toString());
        assertFalse(DemoNetworkData.transactions(25, SEED).toString()
                .equals(DemoNetworkData.transactions(25, SEED + 1).toString()), "the seed decides");
    }
}
