package org.meshledger.connect.runtime;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.meshledger.connect.mapping.LedgerValues;
import org.meshledger.connect.mapping.MappingException;
import org.meshledger.connect.mapping.RecordMapping;
import org.meshledger.connect.spi.ChangeKind;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.spi.SourceRecord;
import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.access.RecordAccess;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.service.LedgerCore;
import org.meshledger.ledger.transaction.CommitLevel;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.SourceReference;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.connector.ConnectorStore;
import org.meshledger.persistence.connector.RecordLink;
import org.meshledger.persistence.ledger.RecordKey;
import org.meshledger.persistence.ledger.RecordVersionRow;

/**
 * The inbound side of a connector: a batch of system changes, mapped, becomes ledger transactions
 * submitted as the connector's system principal, one per record so that each version's lineage names
 * its source record, all of a batch in flight together so they share blocks. A record is created
 * when the ledger does not have it and patched with what changed when it does (a change the ledger
 * already holds writes nothing, so an echo of the node's own write settles quietly). Each change's
 * idempotency key derives from the system's change id, so a batch delivered again commits nothing
 * twice. A record that cannot be committed goes to the dead-letter store with its reason; a ledger
 * that cannot take the batch now is an exception, and the route retries the batch.
 */
public final class InboundProcessor implements Processor {

    /** Exchange property: what is settled of the batch, kept across the route's redeliveries. */
    static final String PROGRESS = "meshledger.inbound.progress";
    /** Header: the attempt of a replay from the dead-letter store (a fresh idempotency key). */
    public static final String REPLAY = "meshledger.replay";
    private static final int MAX_CONFLICT_ATTEMPTS = 3;
    private static final long WAIT_SECONDS = 60;
    private static final int MAX_KEY = 200;

    private final String connectorId;
    private final String system;
    private final MeshPrincipal principal;
    private final Map<String, List<RecordMapping>> mappings;
    private final Connector connector;
    private final LedgerCore ledger;
    private final ConnectorStore store;
    private final DeadLetters deadLetters;
    private final StatusTracker status;
    private final Clock clock;

    InboundProcessor(String connectorId, String system, MeshPrincipal principal, List<RecordMapping> inbound,
            Connector connector, LedgerCore ledger, ConnectorStore store, DeadLetters deadLetters,
            StatusTracker status, Clock clock) {
        this.connectorId = connectorId;
        this.system = system;
        this.principal = principal;
        this.mappings = inbound.stream().collect(Collectors.groupingBy(RecordMapping::object, LinkedHashMap::new,
                Collectors.toList()));
        this.connector = connector;
        this.ledger = ledger;
        this.store = store;
        this.deadLetters = deadLetters;
        this.status = status;
        this.clock = clock;
    }

    /** What is settled of a batch so far. */
    static final class Progress {
        final Set<Integer> settled = new HashSet<>();
        int committed;
        int unchanged;
        final List<InboundReport.Failure> failures = new ArrayList<>();

        InboundReport report() {
            return new InboundReport(committed, unchanged, failures);
        }
    }

    /** One record on its way: its mapping, values and ledger key, and how often it was tried. */
    private static final class Pending {
        final int index;
        SourceRecord record;
        final RecordMapping mapping;
        LedgerValues values;
        String id;
        int attempt = 1;
        boolean fetched;
        /** The system's fields as they came (the link's new system state). */
        ObjectNode seen;

        Pending(int index, SourceRecord record, RecordMapping mapping, LedgerValues values) {
            this.index = index;
            this.record = record;
            this.seen = record.fields();
            this.mapping = mapping;
            this.values = values;
            this.id = values.id();
        }

        RecordKey key() {
            return new RecordKey(mapping.type(), id);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        InboundBatch batch = exchange.getIn().getMandatoryBody(InboundBatch.class);
        Progress progress = exchange.getProperty(PROGRESS, Progress.class);
        if (progress == null) {
            progress = new Progress();
            exchange.setProperty(PROGRESS, progress);
        }
        Integer replay = exchange.getIn().getHeader(REPLAY, Integer.class);
        run(batch, progress, replay);
        int moved = progress.committed;
        exchange.getIn().setBody(progress.report());
        status.inbound(moved);
    }

    /** After the retries: what is not settled goes to the dead-letter store, with the last failure. */
    public void deadLetterRest(Exchange exchange) throws Exception {
        InboundBatch batch = exchange.getIn().getMandatoryBody(InboundBatch.class);
        Progress progress = exchange.getProperty(PROGRESS, Progress.class);
        if (progress == null) {
            progress = new Progress();
        }
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "not committed after the retries: " + (cause == null ? "unknown failure" : describe(cause));
        for (int i = 0; i < batch.records().size(); i++) {
            if (!progress.settled.contains(i)) {
                SourceRecord record = batch.records().get(i);
                fail(progress, i, record, null, null, "ledger-unavailable",
                        reason);
            }
        }
        exchange.getIn().setBody(progress.report());
        exchange.removeProperty(PROGRESS);
    }

    private void run(InboundBatch batch, Progress progress, Integer replay) throws Exception {
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < batch.records().size(); i++) {
            if (!progress.settled.contains(i)) {
                prepare(i, batch.records().get(i), progress, replay).ifPresent(pending::add);
            }
        }
        resolveIds(pending, progress, replay);
        List<RecordLink> links = new ArrayList<>();
        while (!pending.isEmpty()) {
            // A record changed twice in one batch is changed in order: once per wave.
            Map<RecordKey, Pending> wave = new LinkedHashMap<>();
            List<Pending> later = new ArrayList<>();
            for (Pending p : pending) {
                if (wave.putIfAbsent(p.key(), p) != null) {
                    later.add(p);
                }
            }
            later.addAll(0, submitWave(wave, progress, replay, links));
            pending = later;
        }
        store.saveLinks(links);
    }

    /** The record mapped, or settled at once (no mapping, a mapping error, a deletion the mapping ignores). */
    private Optional<Pending> prepare(int index, SourceRecord record, Progress progress, Integer replay) {
        List<RecordMapping> candidates = mappings.get(record.object());
        if (candidates == null) {
            fail(progress, index, record, null, null, "no-mapping",
                    record.describe() + ": no inbound mapping of " + record.object() + " (mapped: "
                            + String.join(", ", mappings.keySet()) + ")");
            return Optional.empty();
        }
        RecordMapping mapping = candidates.get(0);
        if (record.kind() == ChangeKind.DELETE && mapping.onDelete() == RecordMapping.OnDelete.IGNORE) {
            settleUnchanged(progress, index);
            return Optional.empty();
        }
        try {
            return Optional.of(new Pending(index, record, mapping, mapping.toLedger(record)));
        } catch (MappingException e) {
            fail(progress, index, record, mapping.type(), null, "mapping",
                    e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Finds the ledger key of changes that do not carry it (from the links of earlier changes, or by
     * asking the system for the whole record), and settles changes that are not newer than the last
     * one taken from their record.
     */
    private void resolveIds(List<Pending> pending, Progress progress, Integer replay) throws Exception {
        Map<String, Set<String>> externalIds = new HashMap<>();
        pending.stream().filter(p -> p.record.externalId() != null)
                .forEach(p -> externalIds.computeIfAbsent(p.record.object(), o -> new HashSet<>()).add(p.record.externalId()));
        Map<String, Map<String, RecordLink>> links = new HashMap<>();
        for (Map.Entry<String, Set<String>> entry : externalIds.entrySet()) {
            links.put(entry.getKey(), store.links(connectorId, entry.getKey(), entry.getValue()));
        }
        for (java.util.Iterator<Pending> it = pending.iterator(); it.hasNext();) {
            Pending p = it.next();
            RecordLink link = p.record.externalId() == null ? null
                    : links.getOrDefault(p.record.object(), Map.of()).get(p.record.externalId());
            if (link != null && p.record.sequence() != null && link.lastSequence() != null
                    && p.record.sequence() <= link.lastSequence() && replay == null) {
                settleUnchanged(progress, p.index); // stale: a newer change of the record was taken already
                it.remove();
                continue;
            }
            if (p.id == null && link != null) {
                p.id = link.recordId();
            }
            if (link != null && link.systemState() != null && !p.record.partial()
                    && p.record.kind() == ChangeKind.UPSERT && !onlyChanges(p, link, progress)) {
                it.remove();
                continue;
            }
            if (p.id == null && !fetchWhole(p, progress, replay)) {
                it.remove();
            }
        }
    }

    /**
     * Keeps of a whole record only what the system changed since the connector last saw it, so that a
     * value the ledger changed meanwhile is not taken back by a system that never changed it; false
     * when the record is settled instead (it cannot be mapped).
     */
    private boolean onlyChanges(Pending p, RecordLink link, Progress progress) {
        ObjectNode changed = SystemState.changes(p.record.fields(), org.meshledger.ledger.json.Json.parse(
                link.systemState()));
        String keyField = p.mapping.key().systemField();
        if (p.record.fields().has(keyField)) {
            changed.set(keyField, p.record.fields().get(keyField));
        }
        SourceRecord reduced = new SourceRecord(p.record.object(), p.record.externalId(), p.record.kind(), changed, true,
                p.record.changeId(), p.record.sequence(), p.record.changedAt());
        try {
            p.values = p.mapping.toLedger(reduced);
        } catch (MappingException e) {
            fail(progress, p.index, p.record, p.mapping.type(), p.id, "mapping", e.getMessage());
            return false;
        }
        if (p.values.id() != null) {
            p.id = p.values.id();
        }
        p.record = reduced;
        return true;
    }

    /** Replaces a partial change by the whole record from the system; false when it is settled instead. */
    private boolean fetchWhole(Pending p, Progress progress, Integer replay) throws Exception {
        if (p.record.externalId() == null) {
            fail(progress, p.index, p.record, p.mapping.type(), null, "mapping", p.record.describe()
                    + " field " + p.mapping.key().systemField() + ": is missing: it holds the " + p.mapping.type()
                    + "'s key");
            return false;
        }
        Optional<SourceRecord> whole = connector.fetch(p.record.object(), p.record.externalId());
        if (whole.isEmpty()) {
            fail(progress, p.index, p.record, p.mapping.type(), null, "unknown-record", p.record.describe()
                    + ": the change does not carry " + p.mapping.key().systemField() + " and the record is not "
                    + "linked to a ledger record");
            return false;
        }
        SourceRecord record = new SourceRecord(p.record.object(), p.record.externalId(), p.record.kind(),
                whole.get().fields(), false, p.record.changeId(), p.record.sequence(), p.record.changedAt());
        try {
            p.values = p.mapping.toLedger(record);
        } catch (MappingException e) {
            fail(progress, p.index, p.record, p.mapping.type(), null, "mapping", e.getMessage());
            return false;
        }
        p.record = record;
        p.seen = record.fields();
        p.fetched = true;
        p.id = p.values.id();
        if (p.id == null) {
            fail(progress, p.index, p.record, p.mapping.type(), null, "mapping", p.record.describe()
                    + " field " + p.mapping.key().systemField() + ": is missing: it holds the " + p.mapping.type()
                    + "'s key");
            return false;
        }
        return true;
    }

    /** Submits one wave; returns the records to try again (a conflict with a concurrent writer). */
    private List<Pending> submitWave(Map<RecordKey, Pending> wave, Progress progress, Integer replay,
            List<RecordLink> links) throws Exception {
        Map<RecordKey, RecordVersionRow> current = ledger.store().current(wave.keySet());
        Map<Pending, CompletableFuture<TransactionOutcome>> submitted = new LinkedHashMap<>();
        List<Pending> again = new ArrayList<>();
        for (Pending p : wave.values()) {
            String key = idempotencyKey(p.record, p.id, p.attempt, replay);
            Operation op;
            try {
                op = operation(p, current.get(p.key()));
            } catch (MappingException e) {
                fail(progress, p.index, p.record, p.mapping.type(), p.id, "mapping", e.getMessage());
                continue;
            }
            if (op == null) {
                settleUnchanged(progress, p.index);
                link(p, links);
                continue;
            }
            TransactionRequest request = new TransactionRequest(key, CommitLevel.COMMITTED,
                    p.record.changedAt() == null ? null : p.record.changedAt().truncatedTo(ChronoUnit.MICROS),
                    new SourceReference(system, p.record.object() + "/" + (p.record.externalId() == null ? p.id
                            : p.record.externalId())), List.of(op));
            try {
                submitted.put(p, ledger.submitter().submit(principal, request));
            } catch (InvalidTransactionException e) {
                if (e.problems().stream().anyMatch(f -> f.rule().equals("idempotency"))) {
                    // This change was taken before under its key; the ledger has moved on since, so the same
                    // change now reads as another request. A repeat, not a step back: nothing to write.
                    settleUnchanged(progress, p.index);
                    continue;
                }
                fail(progress, p.index, p.record, p.mapping.type(), p.id, "invalid-transaction", describe(p)
                        + e.getMessage() + e.problems().stream().map(f -> f.pointer() + ": " + f.message())
                                .collect(Collectors.joining("; ", " (", ")")));
            } catch (AccessDeniedException e) {
                fail(progress, p.index, p.record, p.mapping.type(), p.id, "access-denied", describe(p) + e.getMessage());
            } catch (NotFoundException e) {
                fail(progress, p.index, p.record, p.mapping.type(), p.id, "not-found", describe(p) + e.getMessage());
            }
        }
        for (Map.Entry<Pending, CompletableFuture<TransactionOutcome>> entry : submitted.entrySet()) {
            Pending p = entry.getKey();
            TransactionOutcome outcome = await(entry.getValue());
            if (outcome.status() == TransactionStatus.COMMITTED) {
                progress.committed++;
                progress.settled.add(p.index);
                link(p, links);
                continue;
            }
            RejectionCode code = outcome.rejection().code();
            boolean race = code == RejectionCode.VERSION_CONFLICT || code == RejectionCode.ALREADY_EXISTS
                    || code == RejectionCode.NOT_FOUND;
            if (race && p.attempt < MAX_CONFLICT_ATTEMPTS) {
                p.attempt++; // someone else wrote the record meanwhile: look again, with a new key
                again.add(p);
            } else {
                fail(progress, p.index, p.record, p.mapping.type(), p.id, code.name().toLowerCase(Locale.ROOT).replace('_', '-'), describe(p)
                        + "the ledger rejected transaction " + outcome.txId() + ": " + outcome.rejection().message());
            }
        }
        return again;
    }

    /** "new_loans 3f2c… (Loan/L-9): ", as a ledger refusal names the record on both sides. */
    private static String describe(Pending p) {
        return p.record.describe() + " (" + p.mapping.type() + "/" + p.id + "): ";
    }

    /** The operation that brings the ledger record to the change, or null when it holds it already. */
    private Operation operation(Pending p, RecordVersionRow current) {
        RecordType type = ledger.network().schema().type(p.mapping.type()).orElseThrow();
        boolean exists = current != null && !current.deleted();
        int version = current == null ? 0 : current.version();
        if (p.record.kind() == ChangeKind.DELETE) {
            return exists ? new Operation(OperationKind.DELETE, type.name(), p.id, version, null) : null;
        }
        if (!exists) {
            ObjectNode data = p.mapping.newRecord(p.values);
            return new Operation(OperationKind.CREATE, type.name(), p.id, version, data);
        }
        RecordAccess access = RecordAccess.stored(current.access());
        JsonNode readable = ledger.policy().visibility(principal.party(), type, access) == AccessPolicy.Visibility.VISIBLE
                ? ledger.policy().readableView(principal.party(), type, org.meshledger.ledger.json.Json.parse(
                        current.state()), access) : null;
        // A record the party does not read is not diffed against: the ledger answers it does not exist.
        ObjectNode patch = readable == null ? p.mapping.newRecord(p.values) : p.mapping.patch(p.values, readable);
        return patch.isEmpty() ? null : new Operation(OperationKind.UPDATE, type.name(), p.id, version, patch);
    }

    private void link(Pending p, List<RecordLink> links) {
        if (p.record.externalId() != null) {
            links.add(new RecordLink(connectorId, p.record.object(), p.record.externalId(), p.mapping.type(), p.id,
                    p.record.sequence(), p.record.kind() == ChangeKind.DELETE ? null
                            : org.meshledger.ledger.json.Json.write(p.seen)));
        }
    }

    private static TransactionOutcome await(CompletableFuture<TransactionOutcome> future) throws InterruptedException {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LedgerUnavailableException unavailable ? unavailable
                    : new LedgerUnavailableException("The transaction failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new LedgerUnavailableException("The ledger did not answer within " + WAIT_SECONDS + " s");
        }
    }

    /**
     * The change's idempotency key: the connector, the record and the system's change id, so that the
     * same change delivered again is answered by the ledger as a repeat. A later attempt after a
     * conflict, and a replay from the dead-letter store, take keys of their own.
     */
    private String idempotencyKey(SourceRecord record, String id, int attempt, Integer replay) {
        return bounded(connectorId + ":" + record.object() + ":" + (record.externalId() != null ? record.externalId()
                : id) + ":" + record.changeId() + (attempt > 1 ? "#" + attempt : "") + (replay != null ? "#replay"
                        + replay : ""));
    }

    /** What identifies the change itself, whatever the attempt: its dead letter's key. */
    private String changeKey(SourceRecord record) {
        return bounded(connectorId + ":" + record.object() + ":" + (record.externalId() != null ? record.externalId()
                : "-") + ":" + record.changeId());
    }

    private String bounded(String key) {
        return key.length() <= MAX_KEY ? key : connectorId + ":sha256:" + java.util.HexFormat.of().formatHex(
                org.meshledger.ledger.proof.Sha256.hash(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** A record its connector could not read: to the dead-letter store, as an unmappable one. */
    void deadLetter(SourceRecord record, String code, String reason) {
        deadLetters.inbound(record, null, null, changeKey(record), code, reason);
    }

    private void settleUnchanged(Progress progress, int index) {
        progress.unchanged++;
        progress.settled.add(index);
    }

    private void fail(Progress progress, int index, SourceRecord record, String type, String id, String code,
            String reason) {
        deadLetters.inbound(record, type, id, changeKey(record), code, reason);
        progress.failures.add(new InboundReport.Failure(record.object(), record.externalId(), code, reason));
        progress.settled.add(index);
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
