package org.meshledger.ledger.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonDiff;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The events of committed record versions, per party: each party gets an event for each version of
 * a record it reads, with only the fields it reads (what {@link AccessPolicy} gives the party as a
 * whole: a party limited to some records by an {@code x-access.rows} rule, such as the home owners,
 * gets only the records shared with it), and an {@code access-revoked} event when a version takes a
 * record away from it. Events are CloudEvents whose id ({@code Loan/L-1/3}) is the same on every
 * node and every replay, so a consumer drops repeats by id.
 */
public final class BlockEvents {

    /** The CloudEvents type of a version: this prefix and its operation (create, update, ...). */
    public static final String TYPE_PREFIX = "org.meshledger.record.";
    /** The type of the event a party gets when a version takes the record away from it. */
    public static final String ACCESS_REVOKED = TYPE_PREFIX + "access-revoked";

    private final NetworkDefinition network;
    private final AccessPolicy policy;
    private final URI source;

    public BlockEvents(NetworkDefinition network, AccessPolicy policy) {
        this.network = network;
        this.policy = policy;
        this.source = URI.create("/meshledger/networks/" + network.id());
    }

    /**
     * @param versions the versions in the order they were applied
     * @param previous for each record, the version before its first one in {@code versions}
     * @param transactions the transactions that wrote them
     */
    public List<PartyEvent> of(List<RecordVersionRow> versions, Map<RecordKey, RecordVersionRow> previous,
            Map<UUID, TransactionRow> transactions) {
        List<PartyEvent> events = new ArrayList<>();
        Map<RecordKey, RecordVersionRow> latest = new HashMap<>(previous);
        for (RecordVersionRow version : versions) {
            RecordVersionRow before = latest.put(version.key(), version);
            if (before != null && before.version() != version.version() - 1) {
                throw new IllegalArgumentException("the version before " + version.key() + " v" + version.version()
                        + " is missing");
            }
            RecordType type = network.schema().type(version.type()).orElse(null);
            if (type == null) {
                continue; // a type the schema no longer has: nobody reads it
            }
            TransactionRow tx = transactions.get(version.txId());
            Parsed now = Parsed.of(version);
            Parsed then = before == null ? null : Parsed.of(before);
            for (PartyDefinition party : network.parties()) {
                PartyEvent event = eventFor(party.id(), type, version, now, then, tx);
                if (event != null) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    /** A version's stored access and state, parsed once for all parties. */
    private record Parsed(RecordAccess access, JsonNode state) {

        static Parsed of(RecordVersionRow row) {
            return new Parsed(RecordAccess.stored(row.access()), row.state() == null ? null : Json.parse(row.state()));
        }
    }

    private PartyEvent eventFor(PartyId party, RecordType type, RecordVersionRow version, Parsed now, Parsed then,
            TransactionRow tx) {
        boolean reads = reads(party, type, now.access());
        boolean readBefore = then != null && reads(party, type, then.access());
        if (!reads && !readBefore) {
            return null;
        }
        JsonNode state = reads && now.state() != null
                ? policy.readableView(party, type, now.state(), now.access()) : null;
        JsonNode stateBefore = readBefore && then.state() != null
                ? policy.readableView(party, type, then.state(), then.access()) : null;
        String eventType = reads ? TYPE_PREFIX + version.operation() : ACCESS_REVOKED;
        return new PartyEvent(party, version.type() + "/" + version.id(),
                cloudEvent(eventType, version, tx, state, stateBefore, !reads));
    }

    /** Whether the party as a whole reads the record (rows-limited parties read only what is shared with them). */
    private boolean reads(PartyId party, RecordType type, RecordAccess access) {
        return policy.visibility(party, type, access) == AccessPolicy.Visibility.VISIBLE;
    }

    private CloudEvent cloudEvent(String eventType, RecordVersionRow version, TransactionRow tx, JsonNode state,
            JsonNode stateBefore, boolean revoked) {
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
        data.set("state", state);
        // The change as JSON Patch (RFC 6902) from the version before, as this party saw it.
        data.set("change", JsonDiff.asJson(stateBefore == null ? Json.object() : stateBefore,
                state == null ? Json.object() : state));
        data.put("hash", LedgerHashing.base64(version.hash()));
        data.put("proof", "/api/records/" + version.type() + "/" + version.id() + "/versions/" + version.version()
                + "/proof");
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
