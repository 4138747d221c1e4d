package org.meshledger.ledger.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.persistence.ledger.OutboxStore.BlockChanges;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * What each party reads of committed record versions, for everything that carries changes out of
 * the node (the parties' event topics, the connectors to their systems): a party gets a change for
 * each version of a record it reads, with only the fields it reads (what {@link AccessPolicy} gives
 * the party as a whole: a party limited to some records by an {@code x-access.rows} rule, such as
 * the home owners, gets only the records shared with it), and a revocation when a version takes a
 * record away from it. The changes carry every value the party reads, classified ones included: a
 * connector writes them to the party's own systems. What goes on the event topics carries classified
 * fields by reference instead ({@link BlockEvents}).
 */
public final class PartyChanges {

    /**
     * One version as one party reads it.
     *
     * @param state the fields the party reads, or null for a deletion or a revocation
     * @param stateBefore what the party read of the version before, or null
     * @param revoked whether this version takes the record away from the party
     * @param transaction the transaction that wrote it, or null if unknown
     */
    public record PartyChange(PartyId party, RecordType type, RecordVersionRow version, TransactionRow transaction,
            JsonNode state, JsonNode stateBefore, boolean revoked) {
    }

    private final NetworkDefinition network;
    private final AccessPolicy policy;

    public PartyChanges(NetworkDefinition network, AccessPolicy policy) {
        this.network = network;
        this.policy = policy;
    }

    /**
     * @param blocks what the blocks committed
     * @param parties the parties to compute the changes of
     * @return per version in order, then per party in the given order, the changes the parties see
     */
    public List<PartyChange> of(BlockChanges blocks, Collection<PartyId> parties) {
        List<PartyChange> changes = new ArrayList<>();
        Map<RecordKey, RecordVersionRow> latest = new HashMap<>(blocks.previous());
        for (RecordVersionRow version : blocks.versions()) {
            RecordVersionRow before = latest.put(version.key(), version);
            if (before != null && before.version() != version.version() - 1) {
                throw new IllegalArgumentException("the version before " + version.key() + " v" + version.version()
                        + " is missing");
            }
            RecordType type = network.schema().type(version.type()).orElse(null);
            if (type == null) {
                continue; // a type the schema no longer has: nobody reads it
            }
            TransactionRow tx = blocks.transactions().get(version.txId());
            Parsed now = Parsed.of(version);
            Parsed then = before == null ? null : Parsed.of(before);
            for (PartyId party : parties) {
                PartyChange change = changeFor(party, type, version, now, then, tx);
                if (change != null) {
                    changes.add(change);
                }
            }
        }
        return changes;
    }

    /** A version's stored access and state, parsed once for all parties. */
    private record Parsed(RecordAccess access, JsonNode state) {

        static Parsed of(RecordVersionRow row) {
            return new Parsed(RecordAccess.stored(row.access()), row.state() == null ? null : Json.parse(row.state()));
        }
    }

    private PartyChange changeFor(PartyId party, RecordType type, RecordVersionRow version, Parsed now, Parsed then,
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
        return new PartyChange(party, type, version, tx, state, stateBefore, !reads);
    }

    /** Whether the party as a whole reads the record (rows-limited parties read only what is shared with them). */
    private boolean reads(PartyId party, RecordType type, RecordAccess access) {
        return policy.visibility(party, type, access) == AccessPolicy.Visibility.VISIBLE;
    }
}
