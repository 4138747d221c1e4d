package org.meshledger.connect.runtime;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.ProducerTemplate;
import org.meshledger.connect.mapping.MappingException;
import org.meshledger.connect.mapping.RecordMapping;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.WriteResult;
import org.meshledger.ledger.events.Backoff;
import org.meshledger.ledger.events.PartyChanges;
import org.meshledger.ledger.events.PartyChanges.PartyChange;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.connector.RecordLink;
import org.meshledger.persistence.ledger.OutboxStore;
import org.meshledger.persistence.ledger.OutboxStore.BlockChanges;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;
import org.meshledger.persistence.ledger.TransactionRow;

/**
 * The outbound side of a connector: follows the ledger from its own position, block by block, and
 * sends what the connector's party reads of each change (the same {@link PartyChanges} the party's
 * event topic carries) through the mappings to the connector's system. A record changed several times
 * in a batch of blocks is written once, in its latest state. A change the connector itself brought in
 * from the system is not sent back (no echo), unless the same blocks also hold another writer's change
 * of the record. The position is saved once every record of the blocks is written or dead-lettered, so
 * a restart resumes where it stopped; a failure to read the ledger is retried with a growing pause.
 */
final class OutboundFeed implements Runnable {

    /** The operation of a version written by a purge. */
    private static final String PURGE = "purge";

    static final String CURSOR = "outbound";
    private static final Logger LOG = Logger.getLogger(OutboundFeed.class.getName());
    private static final int BATCH_BLOCKS = 50;
    private static final int BATCH_TRANSACTIONS = 5_000;
    private static final Duration IDLE_WAIT = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration LAST_RETRY = Duration.ofSeconds(15);

    private final String connectorId;
    private final MeshPrincipal principal;
    private final Map<String, List<RecordMapping>> mappings;
    private final LedgerCore ledger;
    private final OutboxStore outbox;
    private final PartyChanges partyChanges;
    private final ConnectorStore store;
    private final DeadLetters deadLetters;
    private final StatusTracker status;
    private final ProducerTemplate template;
    private final String endpoint;
    private final int batchSize;
    private final boolean fromStart;
    private final boolean changesOnly;
    private volatile boolean stopped;

    OutboundFeed(String connectorId, MeshPrincipal principal, Map<String, List<RecordMapping>> outboundByType,
            LedgerCore ledger, ConnectorStore store, DeadLetters deadLetters, StatusTracker status,
            ProducerTemplate template, String endpoint, int batchSize, boolean fromStart, boolean changesOnly) {
        this.connectorId = connectorId;
        this.principal = principal;
        this.mappings = outboundByType;
        this.ledger = ledger;
        this.outbox = ledger.outbox();
        this.partyChanges = new PartyChanges(ledger.network(), ledger.policy());
        this.store = store;
        this.deadLetters = deadLetters;
        this.status = status;
        this.template = template;
        this.endpoint = endpoint;
        this.batchSize = batchSize;
        this.fromStart = fromStart;
        this.changesOnly = changesOnly;
    }

    @Override
    public void run() {
        Backoff retry = new Backoff(FIRST_RETRY, LAST_RETRY);
        Long height = null;
        while (!stopped) {
            try {
                if (height == null) {
                    height = startHeight();
                }
                long tip = ledger.chain().height();
                if (tip <= height) {
                    ledger.chain().awaitAbove(height, IDLE_WAIT);
                    continue;
                }
                List<Long> blocks = outbox.blocksAfter(height, BATCH_BLOCKS, BATCH_TRANSACTIONS);
                if (blocks.isEmpty()) {
                    ledger.chain().awaitAbove(height, IDLE_WAIT);
                    continue;
                }
                long to = blocks.get(blocks.size() - 1);
                int written = writeBlocks(height + 1, to);
                store.saveCursor(connectorId, CURSOR, Long.toString(to));
                height = to;
                status.outbound(written, to);
                retry.succeeded();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                if (stopped) {
                    break;
                }
                String reason = "cannot follow the ledger: " + InboundProcessor.describe(e) + "; retrying in "
                        + retry.next().toMillis() + " ms";
                status.error(reason, true);
                LOG.log(retry.calm() ? Level.WARNING : Level.FINE, "Connector " + connectorId + ": " + reason, e);
                if (!retry.pause(() -> stopped)) {
                    break;
                }
            }
        }
    }

    /** Where the connector stopped, or where a new one starts (the first block, or the ledger's height). */
    private long startHeight() throws SQLException {
        var saved = store.cursor(connectorId, CURSOR);
        if (saved.isPresent()) {
            return Long.parseLong(saved.get());
        }
        long start = fromStart ? 0 : ledger.chain().height();
        store.saveCursor(connectorId, CURSOR, Long.toString(start));
        return start;
    }

    /** Writes what the party reads of blocks {@code from..to}; returns how many records were written. */
    int writeBlocks(long from, long to) throws Exception {
        BlockChanges blocks = outbox.changesOfBlocks(from, to);
        if (blocks.versions().isEmpty()) {
            return 0;
        }
        Map<RecordKey, PartyChange> latest = new LinkedHashMap<>();
        Set<RecordKey> relevant = new HashSet<>();
        for (PartyChange change : partyChanges.of(blocks, List.of(principal.party()))) {
            if (!mappings.containsKey(change.version().type())) {
                continue;
            }
            if (PURGE.equals(change.version().operation())) {
                purgedElsewhere(change.version());
                continue;
            }
            RecordKey key = change.version().key();
            latest.remove(key);
            latest.put(key, change); // the latest change of each record, in the order of its latest change
            boolean seenAlready = !change.revoked() && change.state() != null && change.state().equals(
                    change.stateBefore());
            if (!isEcho(change.transaction()) && !seenAlready) {
                relevant.add(key);
            }
        }
        List<OutboundRecord> records = new ArrayList<>();
        for (Map.Entry<RecordKey, PartyChange> entry : latest.entrySet()) {
            if (relevant.contains(entry.getKey())) {
                records.addAll(records(entry.getValue()));
            }
        }
        records = onlyChanges(records);
        int written = 0;
        for (int i = 0; i < records.size(); i += batchSize) {
            written += write(records.subList(i, Math.min(records.size(), i + batchSize)));
        }
        return written;
    }

    /**
     * The records with the system's id where it is known and, for a connector that writes changes
     * only, only the fields the system does not have yet (from what the connector last read or
     * wrote of each); a record the system already has as it is, is not written.
     */
    private List<OutboundRecord> onlyChanges(List<OutboundRecord> records) throws SQLException {
        Map<String, Set<String>> idsByType = new LinkedHashMap<>();
        records.forEach(r -> idsByType.computeIfAbsent(r.recordType(), t -> new HashSet<>()).add(r.key()));
        Map<String, Map<String, List<RecordLink>>> links = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> entry : idsByType.entrySet()) {
            links.put(entry.getKey(), store.linksOfRecords(connectorId, entry.getKey(), entry.getValue()));
        }
        List<OutboundRecord> trimmed = new ArrayList<>();
        for (OutboundRecord record : records) {
            RecordLink link = links.get(record.recordType()).getOrDefault(record.key(), List.of()).stream()
                    .filter(l -> l.object().equals(record.object())).findFirst().orElse(null);
            if (link == null) {
                trimmed.add(record);
                continue;
            }
            ObjectNode fields = record.fields();
            if (record.kind() == ChangeKind.UPSERT && link.systemState() != null) {
                ObjectNode changed = SystemState.changes(record.fields(), org.meshledger.ledger.json.Json.parse(
                        link.systemState()));
                if (changed.isEmpty()) {
                    continue; // the system has it as it is (it may have brought it in itself)
                }
                if (changesOnly) {
                    fields = changed;
                    fields.set(record.keyField(), record.fields().get(record.keyField()));
                }
            }
            trimmed.add(new OutboundRecord(record.object(), record.keyField(), record.key(), link.externalId(),
                    record.kind(), fields, record.recordType(), record.recordVersion(), record.blockHeight()));
        }
        return trimmed;
    }

    /**
     * A purge erased fields of a record the system may hold: connectors do not erase values in their
     * systems, so each mapped object gets a dead letter saying so, for the party to erase them there.
     */
    private void purgedElsewhere(RecordVersionRow version) {
        for (RecordMapping mapping : mappings.get(version.type())) {
            deadLetters.outboundUnmapped(version.type(), version.id(), version.version(), version.blockHeight(),
                    mapping.object(), "purged", version.type() + " " + version.id() + " v" + version.version()
                            + " was purged on the ledger; this connector does not erase values in " + mapping.object()
                            + ": erase there the fields the purge transaction names");
        }
    }

    /** A change that came from this connector: its system has it already. */
    private boolean isEcho(TransactionRow tx) {
        return tx != null && tx.party().equals(principal.party().value())
                && PrincipalKind.SYSTEM.name().equalsIgnoreCase(tx.principalKind())
                && tx.principalName().equals(principal.name());
    }

    /** The change in the system's terms, once per mapping of its type. */
    private List<OutboundRecord> records(PartyChange change) {
        RecordVersionRow version = change.version();
        List<OutboundRecord> records = new ArrayList<>();
        for (RecordMapping mapping : mappings.get(version.type())) {
            String describe = version.type() + " " + version.id() + " v" + version.version();
            String keyField = mapping.key().systemField();
            if (change.revoked() || change.state() == null) {
                if (mapping.onDelete() == RecordMapping.OnDelete.DELETE) {
                    ObjectNode key = JsonNodeFactory.instance.objectNode().put(keyField, version.id());
                    records.add(new OutboundRecord(mapping.object(), keyField, version.id(), null, ChangeKind.DELETE,
                            key, version.type(), version.version(), version.blockHeight()));
                }
                continue;
            }
            try {
                records.add(new OutboundRecord(mapping.object(), keyField, version.id(), null, ChangeKind.UPSERT,
                        mapping.toSystem(change.state(), describe), version.type(), version.version(),
                        version.blockHeight()));
            } catch (MappingException e) {
                deadLetters.outboundUnmapped(version.type(), version.id(), version.version(), version.blockHeight(),
                        mapping.object(), "mapping", e.getMessage());
            }
        }
        return records;
    }

    /** Sends one batch through the connector's route; what the system refused goes to the dead-letter store. */
    private int write(List<OutboundRecord> batch) throws SQLException {
        OutboundReport report = template.requestBody(endpoint, new OutboundBatch(batch), OutboundReport.class);
        int written = 0;
        List<RecordLink> links = new ArrayList<>();
        for (WriteResult result : report.results()) {
            OutboundRecord record = result.record();
            if (result.ok()) {
                written++;
                String externalId = result.externalId() != null ? result.externalId() : record.externalId();
                if (externalId != null) {
                    links.add(new RecordLink(connectorId, record.object(), externalId, record.recordType(),
                            record.key(), null, record.kind() == ChangeKind.DELETE ? null
                                    : org.meshledger.ledger.json.Json.write(record.fields())));
                }
            } else {
                deadLetters.outbound(record, result.errorCode() == null ? "refused" : result.errorCode(),
                        record.describe() + ": " + result.error());
            }
        }
        store.saveLinks(links);
        return written;
    }

    void stop() {
        stopped = true;
    }
}
