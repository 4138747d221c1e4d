package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * The connectors inside the provisioned server: Camel started with the EAR, the generic connectors
 * (a webhook, a file depot) moving records both ways under the same access policy, their status in
 * health and the API, and dead letters operators see, replay and discard.
 */
@MeshLedgerIT
class ConnectorsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final WebClient web = new WebClient();
    private final String servicerSystem = Tokens.system("servicer");
    private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    private HttpResponse<String> webhook(String token, String connector, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TestStack.portalUrl() + "/api/connectors/"
                + connector + "/webhook?object=payments")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return web.send(request);
    }

    @Test
    void anInHouseSystemPostsItsChangesToTheWebhookInItsOwnNames() {
        String pay = "PAY-WH" + run;
        String records = "[{\"ref\": \"" + pay + "\", \"loan\": \"L-WH" + run + "\", \"due\": \"01/12/2026\", "
                + "\"amount_cents\": 145000, \"state\": \"MISSED\"}, {\"ref\": \"PAY-WX" + run + "\", \"loan\": \"L-1\", "
                + "\"due\": \"31/02/2026\", \"amount_cents\": 1, \"state\": \"DUE\"}]";
        HttpResponse<String> response = webhook(servicerSystem, "servicer-webhook", "req-" + run, records);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = Json.parse(response.body());
        assertEquals(1, report.get("committed").asInt(), report.toString());
        assertEquals("mapping", report.at("/deadLettered/0/code").asText());
        assertEquals("payments PAY-WX" + run + " field due: '31/02/2026' is not a date in the format dd/MM/yyyy",
                report.at("/deadLettered/0/reason").asText());

        JsonNode record = web.json(servicerSystem, "/api/records/Payment/" + pay);
        assertEquals("missed", record.at("/state/status").asText());
        assertEquals("1450.00", record.at("/state/scheduledAmount/amount").asText());
        assertEquals("2026-12-01", record.at("/state/dueDate").asText());
        assertEquals("servicing-core", record.at("/lineage/source/system").asText(), record.toString());
        assertEquals("payments/" + pay, record.at("/lineage/source/reference").asText());
        assertEquals("servicer-webhook", record.at("/lineage/principalName").asText(), record.toString());

        // The same request again commits nothing twice.
        JsonNode again = Json.parse(webhook(servicerSystem, "servicer-webhook", "req-" + run, records).body());
        assertEquals(1, web.json(servicerSystem, "/api/records/Payment/" + pay).get("version").asInt());
        assertTrue(again.get("deadLettered").size() == 1, again.toString());

        // Another party's system may not use the servicer's webhook: for it, the connector does not exist.
        assertEquals(404, webhook(Tokens.system("loan-owner"), "servicer-webhook", null, records).statusCode());
        assertEquals(400, webhook(servicerSystem, "servicer-webhook", null, "{\"records\": 7}").statusCode());
        assertEquals(409, webhook(Tokens.system("securitizer"), "securitizer-depot", null, records).statusCode());
    }

    @Test
    void operatorsSeeStatusAndDeadLettersOfTheirPartysConnectorsOnly() {
        webhook(servicerSystem, "servicer-webhook", "bad-" + run, "[{\"ref\": \"PAY-BAD" + run + "\", \"loan\": \"L-1\", "
                + "\"due\": \"01/12/2026\", \"amount_cents\": 1, \"state\": \"LOST\"}]");
        JsonNode list = web.json(Tokens.user("servicer", "viewer"), "/api/connectors");
        JsonNode hook = find(list, "servicer-webhook");
        assertEquals("running", hook.get("state").asText(), hook.toString());
        assertTrue(hook.get("deadLetters").asLong() >= 1, hook.toString());
        assertTrue(hook.get("reads").asBoolean());
        assertFalse(hook.get("writes").asBoolean());
        assertTrue(list.findValuesAsText("id").stream().noneMatch(id -> id.startsWith("securitizer")),
                "another party's connectors are not listed: " + list);
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/connectors/servicer-webhook",
                Tokens.system("securitizer")).statusCode());

        String admin = Tokens.user("servicer", "party-admin");
        assertEquals(403, web.get(TestStack.portalUrl() + "/api/connectors/servicer-webhook/dead-letters",
                Tokens.user("servicer", "editor")).statusCode(), "dead letters are for party administrators");
        JsonNode letters = web.json(admin, "/api/connectors/servicer-webhook/dead-letters");
        JsonNode letter = null;
        for (JsonNode l : letters) {
            if (("PAY-BAD" + run).equals(l.get("externalId").asText())) {
                letter = l;
            }
        }
        assertTrue(letter != null, letters.toString());
        assertEquals("inbound", letter.get("direction").asText());
        assertTrue(letter.get("reason").asText().contains("field state: 'LOST' has no ledger value"), letter.toString());
        assertEquals("LOST", letter.at("/payload/fields/state").asText());

        long id = letter.get("id").asLong();
        HttpResponse<String> replay = web.postJson(TestStack.portalUrl() + "/api/connectors/servicer-webhook/dead-letters/"
                + id + "/replay", admin, "");
        assertEquals(200, replay.statusCode(), replay.body());
        assertFalse(Json.parse(replay.body()).get("replayed").asBoolean(), "still unmappable: " + replay.body());
        assertEquals(2, web.json(admin, "/api/connectors/servicer-webhook/dead-letters/" + id).get("attempts").asInt());
        HttpResponse<String> discard = web.postJson(TestStack.portalUrl() + "/api/connectors/servicer-webhook/dead-letters/"
                + id + "/discard", admin, "");
        assertEquals(200, discard.statusCode(), discard.body());
        assertEquals("discarded", Json.parse(discard.body()).get("status").asText());
        assertEquals(409, web.postJson(TestStack.portalUrl() + "/api/connectors/servicer-webhook/dead-letters/" + id
                + "/discard", admin, "").statusCode(), "a closed letter is not discarded twice");
    }

    @Test
    void aFileDepotMovesFilesBothWays() throws Exception {
        Path depot = Path.of(System.getProperty("meshledger.it.depot"));
        String security = "S-FD" + run;
        web.commit(Tokens.system("securitizer"), "{\"operations\": [{\"op\": \"create\", \"type\": \"Security\", \"id\": \""
                + security + "\", \"data\": {\"securityId\": \"" + security + "\", \"name\": \"Pool " + run
                + "\", \"poolType\": \"agency-mbs\", \"status\": \"open\"}}]}");
        Files.createDirectories(depot.resolve("in"));
        Path partial = depot.resolve("in/.partial");
        Files.writeString(partial, "DISCLOSURE_ID,SECURITY_ID,PERIOD,STATUS,LOANS\nD-FD" + run + "," + security
                + ",2026-11,P,40\n");
        Files.move(partial, depot.resolve("in/disclosures-" + run + ".csv"));
        JsonNode disclosure = awaitRecord(Tokens.system("securitizer"), "/api/records/Disclosure/D-FD" + run);
        assertEquals("published", disclosure.at("/state/status").asText());
        assertEquals(40, disclosure.at("/state/loanCount").asInt());
        assertEquals("pool-accounting", disclosure.at("/lineage/source/system").asText());

        String line = await("the security in an outbound file", () -> {
            try (Stream<Path> files = Files.exists(depot.resolve("out")) ? Files.list(depot.resolve("out")) : Stream.empty()) {
                for (Path file : files.toList()) {
                    for (String l : Files.readAllLines(file)) {
                        if (l.startsWith(security + ",")) {
                            return l;
                        }
                    }
                }
            }
            return null;
        });
        assertEquals(security + ",Pool " + run + ",open", line);
    }

    @Test
    void healthShowsEachConnector() {
        HttpResponse<String> health = web.get(TestStack.managementUrl() + "/health/ready");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode connectors = null;
        for (JsonNode check : Json.parse(health.body()).get("checks")) {
            if (check.get("name").asText().equals("connectors")) {
                connectors = check;
            }
        }
        assertTrue(connectors != null, health.body());
        assertEquals("UP", connectors.get("status").asText());
        assertTrue(connectors.at("/data/servicer-webhook").asText().startsWith("running"), connectors.toString());
        assertTrue(connectors.at("/data/securitizer-depot").asText().contains("outbound lag"), connectors.toString());
    }

    private JsonNode awaitRecord(String token, String path) {
        return await(path, () -> {
            HttpResponse<String> response = web.get(TestStack.portalUrl() + path, token);
            return response.statusCode() == 200 ? Json.parse(response.body()) : null;
        });
    }

    private static <T> T await(String what, java.util.concurrent.Callable<T> probe) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.call();
                if (value != null) {
                    return value;
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } catch (Exception e) {
                // try again
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode item : list) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no connector " + id + " in " + list);
    }
}
