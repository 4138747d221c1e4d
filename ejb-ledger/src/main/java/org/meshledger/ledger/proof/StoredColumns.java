package org.meshledger.ledger.proof;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The columns reads serve that are kept beside the hashed content rather than inside it, checked
 * against it: a transaction's columns against its hashed content; a record version's operation
 * against what its hashed content, its transaction's and its previous version's say, its recorded
 * time against its block's (hashed) time. A column that says something its hashed content does
 * not is tampering, even if every hash still verifies.
 */
final class StoredColumns {

    private StoredColumns() {
    }

    /** The first column of a transaction row that differs from its hashed content, if any. */
    static Optional<String> differingTransactionColumn(TransactionRow tx, JsonNode content) {
        Map<String, String[]> columns = new LinkedHashMap<>();
        columns.put("tx_id", pair(tx.txId().toString(), content.path("txId")));
        columns.put("party", pair(tx.party(), content.path("party")));
        columns.put("principal_kind", pair(tx.principalKind(), content.path("principal").path("kind")));
        columns.put("principal_name", pair(tx.principalName(), content.path("principal").path("name")));
        columns.put("idempotency_key", pair(tx.idempotencyKey(), content.path("idempotencyKey")));
        columns.put("source_system", pair(tx.sourceSystem(), content.path("source").path("system")));
        columns.put("source_reference", pair(tx.sourceReference(), content.path("source").path("reference")));
        columns.put("recorded_at", pair(time(tx.recordedAt()), content.path("recordedAt")));
        columns.put("valid_from", pair(time(tx.validFrom()), content.path("validFrom")));
        columns.put("status", pair(tx.status(), content.path("status")));
        columns.put("reason_code", pair(tx.reasonCode(), content.path("rejection").path("code")));
        columns.put("reason", pair(tx.reason(), content.path("rejection").path("message")));
        return columns.entrySet().stream().filter(c -> !Objects.equals(c.getValue()[0], c.getValue()[1]))
                .map(Map.Entry::getKey).findFirst();
    }

    /**
     * Whether a version's operation fits what is hashed, of it, of its transaction and of the
     * version before it, as the block applier makes them: a purge exactly when its transaction's
     * hashed purges name the operation that wrote it; a deletion only without state, and no state
     * only from a deletion (or a purge of a deleted record); a create only where no live version
     * precedes it; an update, deletion, grant or revoke only where one does; a grant or revoke
     * keeps the state; anything else keeps what was shared (nothing, for a record made anew).
     *
     * @param previous the version before it, or null for a first version
     * @param purgedByIt whether its transaction's hashed purges name the operation that wrote it
     */
    static boolean operationFits(RecordVersionRow row, RecordVersionRow previous, boolean purgedByIt) {
        OperationKind kind = OperationKind.of(row.operation()).orElse(null);
        if (kind == null || (kind == OperationKind.PURGE) != purgedByIt
                || (row.deleted() != (kind == OperationKind.DELETE) && kind != OperationKind.PURGE)) {
            return false;
        }
        boolean followsLive = previous != null && !previous.deleted();
        boolean fits = switch (kind) {
            case CREATE -> !followsLive;
            case PUT -> true;
            case UPDATE, DELETE -> followsLive;
            case GRANT, REVOKE -> followsLive && sameState(row, previous);
            case PURGE -> previous != null;
        };
        if (!fits || kind.changesAccess()) {
            return fits;
        }
        String kept = kind == OperationKind.PURGE || followsLive ? previous.access() : null;
        return RecordAccess.stored(row.access()).equals(RecordAccess.stored(kept));
    }

    /**
     * Whether two versions hold the same state. Purges erase from both alike (a purge covers every
     * version before it), so the values left and the fields purged compare.
     */
    private static boolean sameState(RecordVersionRow row, RecordVersionRow previous) {
        return Json.parse(row.state()).equals(Json.parse(previous.state()))
                && PurgeErasures.fieldNames(row.purged()).equals(PurgeErasures.fieldNames(previous.purged()));
    }

    /** Whether a transaction's hashed purges name its operation {@code index}. */
    static boolean purges(JsonNode content, int index) {
        for (JsonNode purge : content.path("purges")) {
            if (purge.path("operation").asInt(-1) == index) {
                return true;
            }
        }
        return false;
    }

    private static String[] pair(String stored, JsonNode hashed) {
        return new String[] {stored, hashed.textValue()};
    }

    private static String time(Instant instant) {
        return instant == null ? null : LedgerHashing.time(instant);
    }
}
