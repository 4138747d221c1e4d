package org.meshledger.ledger.query;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.schema.FieldRule;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.Retention;
import org.meshledger.ledger.schema.RetentionEvent;
import org.meshledger.ledger.schema.SharedSchema;
import org.meshledger.persistence.ledger.LedgerStore;
import org.meshledger.persistence.ledger.RowScope;

/**
 * Which of a party's records hold values whose {@code x-retention} has run out, so that the party
 * purges them: one query per type and retention rule, whatever the number of records.
 */
public final class RetentionReport {

    /** A record holding expired values: which fields, and since when they are past retention. */
    public record Expired(String type, String id, List<String> fields, Instant expiredAt) {
    }

    private final SharedSchema schema;
    private final LedgerStore store;
    private final Clock clock;

    public RetentionReport(SharedSchema schema, LedgerStore store, Clock clock) {
        this.schema = schema;
        this.store = store;
        this.clock = clock;
    }

    /** The owner's records past retention, by type and id, at most {@code limit} per rule. */
    public List<Expired> expired(PartyId owner, int limit) throws SQLException {
        Instant now = clock.instant();
        Map<String, Expired> byRecord = new TreeMap<>();
        for (RecordType type : schema.types()) {
            Map<Retention, List<String>> fieldsByRule = new LinkedHashMap<>();
            for (FieldRule field : type.fields().values()) {
                if (field.retention() != null) {
                    fieldsByRule.computeIfAbsent(field.retention(), r -> new ArrayList<>()).add(field.name());
                }
            }
            for (Map.Entry<Retention, List<String>> rule : fieldsByRule.entrySet()) {
                Retention retention = rule.getKey();
                Instant cutoff = now.atZone(ZoneOffset.UTC).minus(retention.period()).toInstant();
                List<LedgerStore.Expiring> expiring = retention.afterRecorded()
                        ? store.recordedBefore(type.name(), owner.value(), rule.getValue(), cutoff, limit)
                        : afterEvent(type, retention, owner, rule.getValue(), cutoff, limit);
                for (LedgerStore.Expiring record : expiring) {
                    Instant expiredAt = record.startedAt().atZone(ZoneOffset.UTC).plus(retention.period()).toInstant();
                    byRecord.merge(type.name() + "/" + record.id(),
                            new Expired(type.name(), record.id(), record.fields(), expiredAt), RetentionReport::merge);
                }
            }
        }
        return List.copyOf(byRecord.values());
    }

    private List<LedgerStore.Expiring> afterEvent(RecordType type, Retention retention, PartyId owner,
            List<String> fields, Instant cutoff, int limit) throws SQLException {
        RetentionEvent event = schema.event(retention.after()).orElseThrow();
        RowScope.Step link = null;
        if (retention.via() != null && retention.via().startsWith("^")) {
            link = new RowScope.Step(retention.via().substring(retention.via().indexOf('.') + 1), event.type(), true);
        } else if (retention.via() != null) {
            link = new RowScope.Step(retention.via(), event.type(), false);
        }
        return store.eventBefore(type.name(), owner.value(), fields, event.type(), link, event.field(), event.values(),
                cutoff, limit);
    }

    private static Expired merge(Expired a, Expired b) {
        TreeSet<String> fields = new TreeSet<>(a.fields());
        fields.addAll(b.fields());
        return new Expired(a.type(), a.id(), List.copyOf(fields),
                a.expiredAt().isBefore(b.expiredAt()) ? a.expiredAt() : b.expiredAt());
    }
}
