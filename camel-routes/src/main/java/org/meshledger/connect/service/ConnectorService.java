package org.meshledger.connect.service;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.mapping.RecordMapping;
import org.meshledger.connect.runtime.ConnectorInstance;
import org.meshledger.connect.runtime.DeadLetterReplay;
import org.meshledger.connect.spi.InboundBatch;
import org.meshledger.connect.spi.InboundReport;
import org.meshledger.connect.webhook.WebhookProvider;
import org.meshledger.connect.webhook.WebhookRequests;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.LedgerFailure;
import org.meshledger.persistence.connector.DeadLetterRow;
import org.meshledger.persistence.health.ConnectorStatusBoard;

/**
 * The connectors of the caller's party, for its people and systems (REST API, portal): their
 * status for every member; their dead letters, and replaying or discarding them, for its party
 * administrators; the webhook for its editors. Another party's connectors do not exist for a caller.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConnectorService {

    private static final int MAX_PAGE = 500;

    @EJB
    private ConnectorsNode node;

    @EJB
    private CurrentPrincipal currentPrincipal;

    @RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public List<ConnectorView> list() {
        MeshPrincipal caller = currentPrincipal.get();
        Map<String, Long> deadLetters = openCounts();
        long height = heightOfLedger();
        return node.runtime().statuses().stream().filter(s -> s.party().equals(caller.party().value()))
                .map(s -> view(s, deadLetters, height)).toList();
    }

    @RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
    public ConnectorView get(String id) {
        MeshPrincipal caller = currentPrincipal.get();
        ConnectorDefinition definition = owned(caller, id);
        return node.runtime().statuses().stream().filter(s -> s.id().equals(definition.id())).findFirst()
                .map(s -> view(s, openCounts(), heightOfLedger()))
                .orElseThrow(() -> new NotFoundException("No connector " + id + " of party " + caller.party()));
    }

    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public List<DeadLetterView> deadLetters(String id, String status, int offset, int limit) {
        MeshPrincipal caller = currentPrincipal.get();
        owned(caller, id);
        String wanted = status == null ? DeadLetterRow.OPEN : status;
        if (!List.of(DeadLetterRow.OPEN, DeadLetterRow.REPLAYED, DeadLetterRow.DISCARDED).contains(wanted)) {
            throw new InvalidQueryException("status", "status is open, replayed or discarded, not '" + wanted + "'");
        }
        if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
            throw new InvalidQueryException("limit", "offset is at least 0 and limit between 1 and " + MAX_PAGE);
        }
        try {
            return node.store().deadLetters(id, wanted, offset, limit).stream().map(ConnectorService::view).toList();
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public DeadLetterView deadLetter(String id, long letter) {
        MeshPrincipal caller = currentPrincipal.get();
        owned(caller, id);
        try {
            return node.store().deadLetter(id, letter).map(ConnectorService::view)
                    .orElseThrow(() -> new NotFoundException("Connector " + id + " has no dead letter " + letter));
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /** Replays one open letter; the answer says whether it moved, and why not. */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public DeadLetterReplay.Outcome replay(String id, long letter) {
        MeshPrincipal caller = currentPrincipal.get();
        owned(caller, id);
        running(id);
        deadLetter(id, letter);
        try {
            return node.runtime().replay(id, letter, by(caller));
        } catch (IllegalArgumentException e) {
            throw new ConnectorStateException(e.getMessage());
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /** Replays every open letter of the connector, oldest first (at most 1,000 a call). */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public List<DeadLetterReplay.Outcome> replayAll(String id) {
        MeshPrincipal caller = currentPrincipal.get();
        owned(caller, id);
        running(id);
        try {
            return node.runtime().replayAll(id, by(caller), 1000);
        } catch (IllegalArgumentException e) {
            throw new ConnectorStateException(e.getMessage());
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public DeadLetterView discard(String id, long letter) {
        MeshPrincipal caller = currentPrincipal.get();
        owned(caller, id);
        DeadLetterView view = deadLetter(id, letter);
        try {
            if (!node.store().resolve(id, letter, DeadLetterRow.DISCARDED, by(caller))) {
                throw new ConnectorStateException("dead letter " + letter + " is " + view.status() + ", not open");
            }
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
        return deadLetter(id, letter);
    }

    /**
     * A webhook request of the party's system: its records mapped and committed, and what became of
     * each.
     *
     * @param idempotencyKey the request's {@code Idempotency-Key}, or null
     */
    // Writing takes the editor role on every path: a party administrator without it only shares.
    @RolesAllowed(Role.EDITOR_NAME)
    public InboundReport webhook(String id, String object, JsonNode records, String idempotencyKey) {
        MeshPrincipal caller = currentPrincipal.get();
        ConnectorDefinition definition = owned(caller, id);
        if (!WebhookProvider.KIND.equals(definition.kind())) {
            throw new ConnectorStateException("connector " + id + " is a " + definition.kind()
                    + " connector; only webhook connectors take requests");
        }
        ConnectorInstance instance = running(id);
        if (object == null || object.isBlank()) {
            throw new InvalidQueryException("object", "object names the system's object the records are "
                    + "(mapped: " + String.join(", ", inboundObjects(instance)) + ")");
        }
        RecordMapping mapping = instance.mappings().stream().filter(m -> m.inbound() && m.object().equals(object))
                .findFirst().orElseThrow(() -> new InvalidQueryException("object", "connector " + id
                        + " maps no inbound object '" + object + "' (mapped: " + String.join(", ",
                                inboundObjects(instance)) + ")"));
        InboundBatch batch;
        try {
            batch = WebhookRequests.parse(object, records, mapping.key().systemField(), idempotencyKey);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("records", e.getMessage());
        }
        return node.runtime().receive(id, batch);
    }

    private static List<String> inboundObjects(ConnectorInstance instance) {
        return instance.mappings().stream().filter(RecordMapping::inbound).map(RecordMapping::object).toList();
    }

    private ConnectorDefinition owned(MeshPrincipal caller, String id) {
        return node.runtime().definition(id).filter(d -> d.party().equals(caller.party().value()))
                .orElseThrow(() -> new NotFoundException("No connector " + id + " of party " + caller.party()));
    }

    private ConnectorInstance running(String id) {
        return node.runtime().connector(id).orElseThrow(() -> new ConnectorStateException("connector " + id
                + " is not running (" + ConnectorStatusBoard.get(id).map(s -> s.state() + ": " + s.detail())
                        .orElse("unknown") + ")"));
    }

    private static String by(MeshPrincipal caller) {
        return caller.party() + "/" + caller.name();
    }

    private Map<String, Long> openCounts() {
        try {
            return node.store().openDeadLetterCounts();
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    private long heightOfLedger() {
        return node.ledgerHeight();
    }

    private ConnectorView view(ConnectorStatusBoard.Snapshot s, Map<String, Long> deadLetters, long height) {
        List<ConnectorView.Mapping> mappings = node.runtime().definition(s.id()).stream()
                .flatMap(d -> d.mappings().stream())
                .map(m -> new ConnectorView.Mapping(m.string("type", "?"), m.string("object", "?"),
                        m.string("direction", "both"))).toList();
        return new ConnectorView(s.id(), s.kind(), s.party(), s.system(), s.state().name().toLowerCase(
                java.util.Locale.ROOT), s.detail(), s.reads(), s.writes(), s.lastInboundAt(), s.lastOutboundAt(),
                s.inboundRecords(), s.outboundRecords(), s.errors(), s.lastError(), s.lastErrorAt(), s.outboundHeight(),
                s.writes() ? Math.max(0, height - s.outboundHeight()) : 0, deadLetters.getOrDefault(s.id(), 0L),
                mappings);
    }

    private static DeadLetterView view(DeadLetterRow row) {
        return new DeadLetterView(row.id(), row.connectorId(), row.direction(), row.object(), row.externalId(),
                row.recordType(), row.recordId(), Json.parse(row.payload()), row.reasonCode(), row.reason(),
                row.attempts(), row.status(), row.createdAt(), row.updatedAt(), row.resolvedBy());
    }
}
