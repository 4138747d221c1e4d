package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;
import org.junit.jupiter.api.Test;
import org.meshledger.stack.DemoRealm;

/** The node on its database: migrated once, and the same node after a restart or a database outage. */
@MeshLedgerIT
class NodeLifecycleIT {

    private final WebClient web = new WebClient();

    @Test
    void theMigrationsRanOnceOnTheEmptyDatabase() throws SQLException {
        try (Connection db = TestStack.database().superuserConnection(); Statement query = db.createStatement();
                ResultSet rs = query.executeQuery("SELECT count(*), bool_and(success), max(version::numeric)::text "
                        + "FROM flyway_schema_history WHERE version IS NOT NULL")) {
            rs.next();
            assertEquals(Migrations.packaged(), rs.getInt(1), "each packaged migration applied once");
            assertTrue(rs.getBoolean(2), "and successfully");
            assertEquals(String.valueOf(Migrations.packaged()), rs.getString(3));
        }
    }

    @Test
    void aServerRestartKeepsTheNodeAndItsData() throws Exception {
        JsonNode before = node();
        int migrationsBefore = migrationRows();

        reloadServer();

        JsonNode after = node();
        assertEquals(before.get("nodeId"), after.get("nodeId"), "the same node");
        assertEquals(before.get("createdAt"), after.get("createdAt"));
        assertEquals(before.get("starts").asLong() + 1, after.get("starts").asLong(), "one more start recorded");
        assertEquals(migrationsBefore, migrationRows(), "no migration ran again");
    }

    @Test
    void withoutItsDatabaseTheNodeIsNotReadyAndSaysWhy() {
        String nodeId = node().get("nodeId").asText();
        TestStack.stopDatabase();
        try {
            JsonNode health = awaitReadiness(
                    ready -> ready.statusCode() == 503 && ready.body().contains("cannot reach the database"));
            JsonNode database = SmokeIT.check(health, "database");
            assertEquals("DOWN", database.get("status").asText());
            assertTrue(database.get("data").get("reason").asText().startsWith("cannot reach the database"),
                    database.toString());
            assertTrue(database.get("data").get("reason").asText().contains("MESHLEDGER_DB_URL"), database.toString());
            assertEquals("UP", SmokeIT.check(health, "keycloak").get("status").asText(), "only the database is down");
        } finally {
            TestStack.restartDatabase();
        }
        awaitReadiness(ready -> ready.statusCode() == 200);
        assertEquals(nodeId, node().get("nodeId").asText(), "the data survived the database's restart");
    }

    private JsonNode node() {
        DemoRealm.DemoUser admin = DemoRealm.load().users().stream()
                .filter(user -> user.roles().contains("party-admin")).findFirst().orElseThrow();
        HttpResponse<String> node = web.get(TestStack.portalUrl() + "/api/node",
                Keycloak.userToken(admin.username(), admin.password()));
        assertEquals(200, node.statusCode(), node.body());
        return Json.parse(node.body());
    }

    private static int migrationRows() throws SQLException {
        try (Connection db = TestStack.database().superuserConnection(); Statement query = db.createStatement();
                ResultSet rs = query.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Restarts the server's services and redeploys the EAR, as a restart does (same JVM). */
    private void reloadServer() throws Exception {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1",
                TestStack.port("management"))) {
            ModelNode result = client.execute(Operations.createOperation("reload"));
            assertTrue(Operations.isSuccessfulOutcome(result), result.toString());
        }
        Thread.sleep(1_000);
        awaitReadiness(ready -> ready.statusCode() == 200);
    }

    private JsonNode awaitReadiness(Predicate<HttpResponse<String>> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> ready = web.get(TestStack.managementUrl() + "/health/ready");
                last = ready.statusCode() + " " + ready.body();
                if (wanted.test(ready) && ready.body().contains("\"database\"")) {
                    return Json.parse(ready.body());
                }
            } catch (RuntimeException notAnswering) {
                last = notAnswering.toString();
            }
            pause();
        }
        throw new AssertionError("readiness never became what was expected; last: " + last);
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
