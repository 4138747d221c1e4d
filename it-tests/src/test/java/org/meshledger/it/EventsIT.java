package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Events on a real Kafka broker, from the provisioned node: what each party's topic carries, in
 * which order, what survives a broker outage, a replay, and the inbound topic with its dead letters.
 */
@MeshLedgerIT
class EventsIT {

    private static final List<String> TYPES = List.of("Borrower", "Property", "Loan", "Payment", "Delinquency",
            "AssistancePlan", "Security", "LoanInclusion", "Disclosure");

    /**
     * The demo network's fields classified pii or confidential, by type: the topics carry them by
     * reference ({@code {"$ref": "/api/records/<type>/<id>/versions/<n>#/<field>", "classification": …}}).
     */
    private static final Map<String, Map<String, String>> CLASSIFIED = Map.of(
            "Borrower", Map.of("fullName", "pii", "taxId", "pii", "dateOfBirth", "pii", "email", "pii", "phone", "pii",
                    "mailingAddress", "pii", "annualIncome", "confidential", "creditScore", "confidential"),
            "Loan", Map.of("servicingGuidance", "confidential"));

    private final WebClient web = new WebClient();
    private final String servicer = Tokens.system("servicer");
    private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    @Test
    void eachRecordsEventsArriveInOrderAndAPartyGetsOnlyWhatItMayRead() {
        String borrower = "B-E" + run;
        String loan = "L-E" + run;
        web.commit(servicer, "{\"operations\": [" + borrower(borrower) + ", " + LedgerApiIT.createLoan(loan, borrower, null)
                + "]}");
        for (String status : List.of("delinquent", "current", "delinquent")) {
            web.commit(servicer, "{\"operations\": [{\"op\": \"update\", \"type\": \"Loan\", \"id\": \"" + loan
                    + "\", \"patch\": {\"status\": \"" + status + "\"}}]}");
        }

        List<CloudEvent> loanEvents;
        try (TopicReader topic = TopicReader.records("servicer")) {
            loanEvents = events(topic.readUntil(read -> count(read, "Loan/" + loan) >= 4, Duration.ofSeconds(30)),
                    "Loan/" + loan);
        }
        assertEquals(List.of(1, 2, 3, 4), loanEvents.stream().map(e -> TopicReader.data(e).get("version").asInt()).toList(),
                "in version order");
        CloudEvent last = loanEvents.get(3);
        assertEquals("Loan/" + loan + "/4", last.getId());
        assertEquals("org.meshledger.record.update", last.getType());
        assertEquals(URI.create("/meshledger/networks/mortgage-servicing"), last.getSource());
        assertEquals("Loan/" + loan, last.getSubject());
        JsonNode data = TopicReader.data(last);
        assertEquals("delinquent", data.at("/state/status").asText());
        assertEquals("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"delinquent\"}]", data.get("change").toString());
        JsonNode record = web.json(servicer, "/api/records/Loan/" + loan);
        assertEquals(record.get("hash").asText(), data.get("hash").asText(), "the version hash, for its proof");
        assertEquals(record.get("blockHeight").asLong(), data.get("blockHeight").asLong());
        assertEquals(record.at("/lineage/txId").asText(), data.get("transactionId").asText());
        assertEquals("servicer-system", data.get("principal").asText());

        try (TopicReader topic = TopicReader.records("servicer")) {
            List<CloudEvent> seen = events(topic.readUntil(read -> count(read, "Borrower/" + borrower) >= 1,
                    Duration.ofSeconds(30)), "Borrower/" + borrower);
            String text = new String(seen.get(0).getData().toBytes(), StandardCharsets.UTF_8);
            assertFalse(text.contains("123-45-6789") || text.contains("Ada Homeowner"),
                    "the servicer reads the tax id and the name, but never by value on a topic: " + text);
            assertEquals("/api/records/Borrower/" + borrower + "/versions/1#/taxId",
                    TopicReader.data(seen.get(0)).at("/state/taxId/$ref").asText(), "by reference: " + text);
            assertEquals("pii", TopicReader.data(seen.get(0)).at("/state/taxId/classification").asText());
        }
        try (TopicReader topic = TopicReader.records("securitizer")) {
            List<CloudEvent> seen = events(topic.readUntil(read -> count(read, "Borrower/" + borrower) >= 1,
                    Duration.ofSeconds(30)), "Borrower/" + borrower);
            assertEquals(1, seen.size());
            String text = new String(seen.get(0).getData().toBytes(), StandardCharsets.UTF_8);
            assertFalse(text.contains("taxId") || text.contains("123-45-6789") || text.contains("fullName"),
                    "the securitizer's topic holds no tax id and no name: " + text);
        }
        try (TopicReader topic = TopicReader.records("home-owner")) {
            assertTrue(topic.readToEnd().stream().noneMatch(r -> r.key().contains(run)),
                    "home owners read loans only through their rows rule: never on the party's topic");
        }
    }

    @Test
    void aReplayOfTheTopicAndASnapshotPlusTheTopicBothRebuildTheLedgersState() {
        String loan = "L-R" + run;
        web.commit(servicer, "{\"operations\": [" + LedgerApiIT.createLoan(loan, "B-R" + run, null) + "]}");
        JsonNode digest = web.json(servicer, "/api/ledger/digest");
        long height = digest.get("height").asLong();
        Map<String, JsonNode> snapshot = ledgerState(servicer, height);
        web.commit(servicer, "{\"operations\": [{\"op\": \"update\", \"type\": \"Loan\", \"id\": \"" + loan
                + "\", \"patch\": {\"status\": \"delinquent\"}}]}");
        web.commit(servicer, "{\"operations\": [" + LedgerApiIT.createLoan(loan + "-2", "B-R" + run, null) + "]}");
        web.commit(servicer, "{\"operations\": [{\"op\": \"delete\", \"type\": \"Loan\", \"id\": \"" + loan + "-2\"}]}");
        awaitNoBacklog();
        Map<String, JsonNode> now = ledgerState(servicer, null);

        try (TopicReader topic = TopicReader.records("servicer")) {
            assertSameState(now, replay(new HashMap<>(), topic.readToEnd(), 0), "the whole topic rebuilds the state");
        }
        try (TopicReader topic = TopicReader.records("servicer")) {
            topic.seekTo(Instant.parse(digest.get("time").asText()));
            assertSameState(now, replay(new HashMap<>(snapshot), topic.readToEnd(), height),
                    "the snapshot at a block and the topic from that block's time rebuild it too");
        }
    }

    @Test
    void aBrokerOutageDuringLoadLosesNothingAndTheRelayCatchesUpByItself() throws Exception {
        List<String> loans = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (i == 10) {
                TestStack.stopKafka();
            }
            if (i == 20) {
                JsonNode events = awaitEventsCheck(check -> check.at("/data/relay").asText().equals("retrying")
                        && check.at("/data/backlogBlocks").asLong() > 0);
                assertEquals("UP", events.get("status").asText(), "the node stays ready; the backlog shows: " + events);
                TestStack.restartKafka();
            }
            String loan = "L-O" + run + "-" + i;
            loans.add(loan);
            web.commit(servicer, "{\"operations\": [" + LedgerApiIT.createLoan(loan, "B-O" + run, null) + "]}");
            web.commit(servicer, "{\"operations\": [{\"op\": \"update\", \"type\": \"Loan\", \"id\": \"" + loan
                    + "\", \"patch\": {\"status\": \"delinquent\"}}]}");
        }
        awaitNoBacklog();

        try (TopicReader topic = TopicReader.records("servicer")) {
            List<ConsumerRecord<String, CloudEvent>> read = topic.readToEnd();
            Set<String> seen = new HashSet<>();
            Map<String, List<Integer>> versions = new LinkedHashMap<>();
            for (ConsumerRecord<String, CloudEvent> message : read) {
                if (message.key().startsWith("Loan/L-O" + run) && seen.add(message.value().getId())) {
                    versions.computeIfAbsent(message.key(), k -> new ArrayList<>())
                            .add(TopicReader.data(message.value()).get("version").asInt());
                }
            }
            assertEquals(loans.size(), versions.size(), "every loan's events arrived");
            versions.forEach((key, list) -> assertEquals(List.of(1, 2), list, key + ": each change once, in order"));
        }
    }

    @Test
    void theInboundTopicCommitsOnceAndSendsWhatItRefusesToTheDeadLetterTopicWithTheReason() throws Exception {
        String good = "L-I" + run;
        String invalid = "L-X" + run;
        String inbound = TopicReader.PREFIX + "servicer.inbound";
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                TestStack.kafkaBootstrapServers()), new StringSerializer(), new CloudEventSerializer());
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                        TestStack.kafkaBootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            CloudEvent transaction = transaction("crm-" + run, "{\"source\": {\"system\": \"crm\", \"reference\": \"r-"
                    + run + "\"}, \"operations\": [" + LedgerApiIT.createLoan(good, "B-I" + run, null) + "]}");
            producer.send(new ProducerRecord<>(inbound, good, transaction)).get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(inbound, good, transaction)).get(10, TimeUnit.SECONDS);
            raw.send(new ProducerRecord<>(inbound, "junk", "not a transaction".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(inbound, invalid, transaction("bad-" + run, "{\"operations\": ["
                    + LedgerApiIT.createLoan(invalid, "B-1", null).replace("\"termMonths\": 360", "\"termMonths\": 0")
                    + "]}"))).get(10, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(TopicReader.PREFIX + "securitizer.inbound", invalid,
                    transaction("denied-" + run, "{\"operations\": [" + LedgerApiIT.createLoan(invalid, "B-1", null)
                            + "]}"))).get(10, TimeUnit.SECONDS);
        }

        JsonNode loan = awaitRecord("/api/records/Loan/" + good);
        assertEquals(1, loan.get("version").asInt());
        assertEquals("kafka-inbound", loan.at("/lineage/principalName").asText());
        assertEquals("crm", loan.at("/lineage/source/system").asText());

        Map<String, String> servicerDead = deadLetters("servicer", 2);
        assertTrue(servicerDead.getOrDefault("junk", "").startsWith("not-a-cloudevent: "), servicerDead.toString());
        assertTrue(servicerDead.getOrDefault(invalid, "").startsWith("invalid-transaction: "), servicerDead.toString());
        assertTrue(servicerDead.get(invalid).contains("termMonths"), "names the field: " + servicerDead);
        Map<String, String> securitizerDead = deadLetters("securitizer", 1);
        assertTrue(securitizerDead.getOrDefault(invalid, "").startsWith("access-denied: "), securitizerDead.toString());
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/records/Loan/" + invalid, servicer).statusCode(),
                "what was refused wrote nothing");
        assertEquals(1, web.json(servicer, "/api/records/Loan/" + good).get("version").asInt(),
                "the message delivered twice was committed once");
    }

    // ---- helpers ----

    private static CloudEvent transaction(String id, String body) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/crm/servicer"))
                .withType("org.meshledger.transaction").withDataContentType("application/json")
                .withData(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    /** The dead letters of a party with this run's keys: key → "code: reason". */
    private Map<String, String> deadLetters(String party, int expected) {
        String topic = TopicReader.PREFIX + party + ".inbound.dead-letter";
        Map<String, String> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                TestStack.kafkaBootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> message : consumer.poll(Duration.ofMillis(200))) {
                    String key = message.key();
                    boolean ours = key != null && (key.contains(run) || "junk".equals(key)
                            && new String(message.value(), StandardCharsets.UTF_8).equals("not a transaction"));
                    if (ours) {
                        found.put(key, header(message, "meshledger.error.code") + ": "
                                + header(message, "meshledger.error.reason"));
                    }
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> message, String name) {
        Header header = message.headers().lastHeader(name);
        assertNotNull(header, name + " on " + message);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Equal states, or the records that differ (the whole maps would be too long to read). */
    private static void assertSameState(Map<String, JsonNode> ledger, Map<String, JsonNode> replayed, String what) {
        Set<String> keys = new java.util.TreeSet<>(ledger.keySet());
        keys.addAll(replayed.keySet());
        List<String> differing = keys.stream().filter(k -> !java.util.Objects.equals(ledger.get(k), replayed.get(k)))
                .limit(5).map(k -> k + ": ledger " + ledger.get(k) + ", replayed " + replayed.get(k)).toList();
        assertTrue(differing.isEmpty(), what + "; " + ledger.size() + " records on the ledger, " + replayed.size()
                + " replayed; differing: " + differing);
    }

    /** Applies events above {@code aboveHeight} to a state (dropping repeats by event id). */
    private static Map<String, JsonNode> replay(Map<String, JsonNode> state, List<ConsumerRecord<String, CloudEvent>> read,
            long aboveHeight) {
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<String, CloudEvent> message : read) {
            JsonNode data = TopicReader.data(message.value());
            if (data.get("blockHeight").asLong() <= aboveHeight || !seen.add(message.value().getId())) {
                continue;
            }
            if (data.get("state").isNull()) {
                state.remove(message.key());
            } else {
                state.put(message.key(), entry(data.get("version").asInt(), data.get("state")));
            }
        }
        return state;
    }

    /** Every record the party reads, "Type/id" → version and state, now or at a height. */
    private Map<String, JsonNode> ledgerState(String token, Long height) {
        Map<String, JsonNode> state = new HashMap<>();
        for (String type : TYPES) {
            for (int page = 0; ; page++) {
                JsonNode list = web.json(token, "/api/records/" + type + "?size=500&page=" + page
                        + (height == null ? "" : "&asOfHeight=" + height));
                list.get("items").forEach(item -> state.put(type + "/" + item.get("id").asText(),
                        entry(item.get("version").asInt(), byReference(type, item.get("id").asText(),
                                item.get("version").asInt(), item.get("state")))));
                if ((page + 1) * 500L >= list.get("total").asLong()) {
                    break;
                }
            }
        }
        return state;
    }

    /** A state as a topic carries it: each classified field by a reference to it in that version. */
    private static JsonNode byReference(String type, String id, int version, JsonNode state) {
        if (state == null || !state.isObject()) {
            return state;
        }
        ObjectNode copy = state.deepCopy();
        CLASSIFIED.getOrDefault(type, Map.of()).forEach((field, classification) -> {
            if (copy.has(field)) {
                ObjectNode ref = copy.putObject(field);
                ref.put("$ref", "/api/records/" + type + "/" + id + "/versions/" + version + "#/" + field);
                ref.put("classification", classification);
            }
        });
        return copy;
    }

    private static JsonNode entry(int version, JsonNode state) {
        ObjectNode entry = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        entry.put("version", version);
        entry.set("state", state);
        return entry;
    }

    private void awaitNoBacklog() {
        awaitEventsCheck(check -> check.at("/data/backlogBlocks").asLong() == 0
                && check.at("/data/relay").asText().equals("publishing"));
    }

    private JsonNode awaitEventsCheck(java.util.function.Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode check = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> ready = web.get(TestStack.managementUrl() + "/health/ready");
            check = SmokeIT.check(Json.parse(ready.body()), "events");
            if (condition.test(check)) {
                return check;
            }
            sleep(250);
        }
        throw new AssertionError("the events health check did not get there: " + check);
    }

    private JsonNode awaitRecord(String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = web.get(TestStack.portalUrl() + path, servicer);
            if (response.statusCode() == 200) {
                return Json.parse(response.body());
            }
            sleep(200);
        }
        throw new AssertionError(path + " did not appear");
    }

    private static List<CloudEvent> events(List<ConsumerRecord<String, CloudEvent>> read, String key) {
        return read.stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    private static long count(List<ConsumerRecord<String, CloudEvent>> read, String key) {
        return read.stream().filter(r -> key.equals(r.key())).count();
    }



    private static String borrower(String id) {
        return """
                {"op": "create", "type": "Borrower", "id": "%s", "data": {"borrowerId": "%s", "fullName": "Ada Homeowner",
                 "taxId": "123-45-6789"}}""".formatted(id, id);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
