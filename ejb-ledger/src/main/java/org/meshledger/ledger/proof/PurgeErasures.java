package org.meshledger.ledger.proof;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.json.Json;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * What the ledger's purges erased, for full verification: the only thing that makes a {@code purged}
 * marker on a record version legitimate is a committed purge transaction later in the chain naming
 * that record and those fields. Without this, anyone with database access could remove a value from
 * an old version, keep its salted hash as "purged", and every hash would still verify.
 *
 * <p>A purge is read from a transaction's hashed content: its {@code purges} name the operation and
 * the fields (in the clear), and the version that operation wrote (same index in the hashed
 * {@code versions}) names the record. The purges are collected before the chain is walked (a purge
 * comes after the versions it erased from) and each is confirmed when the walk reaches its
 * transaction and has checked its hash; one the walk never reaches is reported.
 */
final class PurgeErasures {

    /** One purge: it erased {@code fields} from every version of {@code key} before {@code version}. */
    record Erasure(UUID txId, RecordKey key, int version, Set<String> fields) {
    }

    private final Map<UUID, List<Erasure>> byTransaction = new LinkedHashMap<>();
    private final Map<RecordKey, List<Erasure>> byRecord = new HashMap<>();
    private final Map<UUID, Long> unconfirmed = new LinkedHashMap<>();

    /** The purges the stored transactions claim, before their hashes are checked. */
    PurgeErasures(List<TransactionRow> purgeTransactions) {
        for (TransactionRow tx : purgeTransactions) {
            List<Erasure> erasures = of(tx.txId(), Json.parse(tx.content()), Json.parse(tx.versions()));
            byTransaction.put(tx.txId(), erasures);
            unconfirmed.put(tx.txId(), tx.blockHeight());
            erasures.forEach(e -> byRecord.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
        }
    }

    /**
     * The erasures a transaction made: one per purge operation of a committed transaction, on the
     * record version that operation wrote.
     *
     * @param content its hashed content
     * @param refs the versions it wrote as kept beside it (type, id, version, hash)
     */
    static List<Erasure> of(UUID txId, JsonNode content, JsonNode refs) {
        List<Erasure> erasures = new ArrayList<>();
        if (!"committed".equals(content.path("status").asText())) {
            return erasures;
        }
        for (JsonNode purge : content.path("purges")) {
            JsonNode ref = refs.path(purge.path("operation").asInt(-1));
            Set<String> fields = new TreeSet<>();
            purge.path("fields").forEach(f -> fields.add(f.asText()));
            erasures.add(new Erasure(txId, new RecordKey(ref.path("type").asText(), ref.path("id").asText()),
                    ref.path("version").asInt(), fields));
        }
        return erasures;
    }

    /**
     * Confirms the purges of a transaction whose hash (and versions) the walk has just checked.
     *
     * @return whether they are those collected before the walk
     */
    boolean confirm(TransactionRow tx, JsonNode content) {
        List<Erasure> verified = of(tx.txId(), content, Json.parse(tx.versions()));
        List<Erasure> collected = byTransaction.getOrDefault(tx.txId(), List.of());
        unconfirmed.remove(tx.txId());
        return verified.equals(collected);
    }

    /** A transaction whose purges were collected but that the walk never reached: its id and height. */
    Map.Entry<UUID, Long> firstUnconfirmed() {
        return unconfirmed.entrySet().stream().findFirst().orElse(null);
    }

    /** Whether any purge named this record (if none did, none of its versions may have purged fields). */
    boolean purgedAnyVersionOf(RecordKey key) {
        return byRecord.containsKey(key);
    }

    /**
     * The fields of a version that later purges erased: those it holds (as values or as purged
     * hashes) and that a purge of its record at a later version named. Exactly these must be
     * purged from it.
     */
    Set<String> erasedFrom(RecordVersionRow row) {
        Set<String> erased = new TreeSet<>();
        for (Erasure erasure : byRecord.getOrDefault(row.key(), List.of())) {
            if (erasure.version() > row.version()) {
                erased.addAll(erasure.fields());
            }
        }
        erased.retainAll(heldFields(row));
        return erased;
    }

    /** The top-level fields a version holds, as values or as the hashes of purged values. */
    static Set<String> heldFields(RecordVersionRow row) {
        Set<String> held = fieldNames(row.state());
        held.addAll(fieldNames(row.purged()));
        return held;
    }

    /** The top-level field names of a JSON object column (none for null). */
    static Set<String> fieldNames(String json) {
        Set<String> names = new TreeSet<>();
        if (json != null) {
            Json.parse(json).fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
