package org.meshledger.ledger.events;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.meshledger.persistence.ledger.OutboxStore.BlockChanges;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The events of committed record versions, per party: each party gets an event for each change it
 * sees ({@link PartyChanges}: only the records and fields it reads), and an {@code access-revoked}
 * event when a version takes a record away from it. Events are CloudEvents whose id ({@code Loan/L-1/3}) is the same on every
 * node and every replay, so a consumer drops repeats by id.
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
                    version, change.transaction(), change.state(), change.stateBefore(), change.revoked())));
        }
        return events;
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
