package org.meshledger.ledger.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonDiff;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.persistence.ledger.OutboxStore.BlockChanges;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The events of committed record versions, per party: each party gets an event for each change it
 * sees ({@link PartyChanges}: only the records and fields it reads), and an {@code access-revoked}
 * event when a version takes a record away from it. Events are CloudEvents whose id ({@code Loan/L-1/3}) is the same on every
 * node and every replay, so a consumer drops repeats by id.
 *
 * <p>A field the schema classifies {@code pii} or {@code confidential} never travels on a topic by
 * value: the event's {@code state} and {@code change} carry a reference to it instead,
 * {@code {"$ref": "/api/records/Borrower/B-1/versions/3#/taxId", "classification": "pii"}}, which the
 * consumer reads through the API, under the access policy and with a read receipt. A topic keeps
 * what it holds and nothing can erase it there, so only what a purge could never have to erase goes
 * on it: a purge may name classified fields only ({@code SubmitChecks}), and after one the referenced
 * version answers without the value. This is a step of the events alone: {@link PartyChanges} keeps
 * the values, for the connectors that write them to the party's own systems.
 */
public final class BlockEvents {

    /** The CloudEvents type of a version: this prefix and its operation (create, update, ...). */
    public static final String TYPE_PREFIX = "org.meshledger.record.";
    /** The type of the event a party gets when a version takes the record away from it. */
    public static final String ACCESS_REVOKED = TYPE_PREFIX + "access-revoked";

    private final PartyChanges changes;
    private final List<PartyId> parties;
    private final URI source;

    public BlockEvents(NetworkDefinition network, AccessPolicy policy) {
        this.changes = new PartyChanges(network, policy);
        this.parties = network.parties().stream().map(PartyDefinition::id).toList();
        this.source = URI.create("/meshledger/networks/" + network.id());
    }

    /** The events of what the blocks committed, per version in order, then per party. */
    public List<PartyEvent> of(BlockChanges blocks) {
        List<PartyEvent> events = new ArrayList<>();
        for (PartyChanges.PartyChange change : changes.of(blocks, parties)) {
            RecordVersionRow version = change.version();
            String eventType = change.revoked() ? ACCESS_REVOKED : TYPE_PREFIX + version.operation();
            events.add(new PartyEvent(change.party(), version.type() + "/" + version.id(), cloudEvent(eventType,
                    change.type(), version, change.transaction(), change.state(), change.stateBefore(),
                    change.revoked())));
        }
        return events;
    }

    /** Whether a field of the type is classified {@code pii} or {@code confidential}: never carried by value. */
    public static boolean byReference(RecordType type, String field) {
        return type.isClassified(field);
    }

    /** The reference that stands for a classified field of a version on the topics. */
    static ObjectNode reference(RecordType type, RecordVersionRow version, String field) {
        ObjectNode ref = Json.object();
        ref.put("$ref", versionPath(version) + "#/" + field.replace("~", "~0").replace("/", "~1"));
        ref.put("classification", type.field(field).classification().keyword());
        return ref;
    }

    private static String versionPath(RecordVersionRow version) {
        return "/api/records/" + version.type() + "/" + version.id() + "/versions/" + version.version();
    }

    /** A state with each classified field replaced by a reference to it in this version; null stays null. */
    private static JsonNode referenced(RecordType type, RecordVersionRow version, JsonNode state) {
        if (state == null || !state.isObject()) {
            return state;
        }
        ObjectNode copy = state.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = state.fields(); it.hasNext(); ) {
            String field = it.next().getKey();
            if (byReference(type, field)) {
                copy.set(field, reference(type, version, field));
            }
        }
        return copy;
    }

    /** A state without its classified fields. */
    private static ObjectNode unclassified(RecordType type, JsonNode state) {
        ObjectNode copy = Json.object();
        if (state != null && state.isObject()) {
            state.fields().forEachRemaining(f -> {
                if (!byReference(type, f.getKey())) {
                    copy.set(f.getKey(), f.getValue().deepCopy());
                }
            });
        }
        return copy;
    }

    /**
     * The JSON Patch (RFC 6902) from the state before to this one, as the party sees them, with no
     * classified value: the unclassified fields as a diff, then for each classified field whose value
     * changed an {@code add} or {@code replace} of its reference, or a {@code remove}. A classified
     * field whose value stayed the same is no change, whatever the version its reference names.
     */
    static ArrayNode change(RecordType type, RecordVersionRow version, JsonNode stateBefore, JsonNode state) {
        ArrayNode patch = (ArrayNode) JsonDiff.asJson(unclassified(type, stateBefore), unclassified(type, state));
        JsonNode before = stateBefore == null ? Json.object() : stateBefore;
        JsonNode now = state == null ? Json.object() : state;
        // In name order, so that every node writes the same patch.
        Set<String> classified = new TreeSet<>();
        before.fieldNames().forEachRemaining(classified::add);
        now.fieldNames().forEachRemaining(classified::add);
        classified.removeIf(field -> !byReference(type, field));
        for (String field : classified) {
            JsonNode was = before.get(field);
            JsonNode is = now.get(field);
            if (Objects.equals(was, is)) {
                continue;
            }
            String path = "/" + field.replace("~", "~0").replace("/", "~1");
            if (is == null) {
                patch.addObject().put("op", "remove").put("path", path);
            } else {
                patch.addObject().put("op", was == null ? "add" : "replace").put("path", path)
                        .set("value", reference(type, version, field));
            }
        }
        return patch;
    }

    private CloudEvent cloudEvent(String eventType, RecordType type, RecordVersionRow version, TransactionRow tx,
            JsonNode state, JsonNode stateBefore, boolean revoked) {
        String subject = version.type() + "/" + version.id();
        ObjectNode data = Json.object();
        data.put("type", version.type());
        data.put("id", version.id());
        data.put("version", version.version());
        data.put("operation", revoked ? "access-revoked" : version.operation());
        data.put("owner", version.ownerParty());
        data.put("blockHeight", version.blockHeight());
        data.put("transactionId", version.txId().toString());
        if (tx != null) {
            data.put("party", tx.party());
            data.put("principalKind", tx.principalKind());
            data.put("principal", tx.principalName());
            if (tx.sourceReference() != null) {
                data.putObject("source").put("system", tx.sourceSystem()).put("reference", tx.sourceReference());
            }
        }
        data.put("recordedAt", version.recordedAt().toString());
        data.put("validFrom", version.validFrom().toString());
        // Classified fields by reference only: nothing a purge may erase goes on a topic.
        data.set("state", referenced(type, version, state));
        // The change as JSON Patch (RFC 6902) from the version before, as this party saw it.
        data.set("change", change(type, version, stateBefore, state));
        data.put("hash", LedgerHashing.base64(version.hash()));
        data.put("proof", versionPath(version) + "/proof");
        return CloudEventBuilder.v1()
                .withId(subject + "/" + version.version())
                .withSource(source)
                .withType(eventType)
                .withSubject(subject)
                .withTime(version.recordedAt().atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withExtension("partitionkey", subject)
                .withExtension("blockheight", version.blockHeight())
                .withExtension("recordversion", version.version())
                .withData(Json.write(data).getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
