package org.meshledger.ledger.proof;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.block.LedgerHashing;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The columns reads serve that are kept beside the hashed content rather than inside it, checked
 * against it: a transaction's columns against its hashed content; a record version's operation
 * against what its hashed content and its transaction's say, its recorded time against its block's
 * (hashed) time. A column that says something its hashed content does not is tampering, even if
 * every hash still verifies.
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
     * Whether a version's operation fits what is hashed: a purge exactly when its transaction's
     * hashed purges name the operation that wrote it; a deletion only without state, and no state
     * only from a deletion (or a purge of a deleted record); a first version only from a create or
     * a put; and nothing but a known operation.
     *
     * @param purgedByIt whether its transaction's hashed purges name the operation that wrote it
     */
    static boolean operationFits(RecordVersionRow row, boolean purgedByIt) {
        Optional<OperationKind> kind = OperationKind.of(row.operation());
        if (kind.isEmpty() || (kind.get() == OperationKind.PURGE) != purgedByIt) {
            return false;
        }
        if (row.deleted() != (kind.get() == OperationKind.DELETE) && kind.get() != OperationKind.PURGE) {
            return false;
        }
        return row.version() != 1 || kind.get() == OperationKind.CREATE || kind.get() == OperationKind.PUT;
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
