package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.query.RetentionReport;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.ledger.ReadReceiptRow;

/** Reading records, always as the caller's party may see them. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class RecordService {

    @EJB
    private LedgerEngine engine;

    @EJB
    private CurrentPrincipal currentPrincipal;

    public RecordView get(String type, String id, AsOf asOf) {
        try {
            return engine.reader().get(currentPrincipal.get(), type, id, asOf);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    public RecordView version(String type, String id, int version) {
        try {
            return engine.reader().version(currentPrincipal.get(), type, id, version);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    public List<HistoryEntry> history(String type, String id) {
        try {
            return engine.reader().history(currentPrincipal.get(), type, id);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    public RecordPage list(String type, ListQuery query) {
        try {
            return engine.reader().list(currentPrincipal.get(), type, query);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * The fields of a type the caller's party may read on every record of it, in the schema's order
     * (a record shared with it may show more): the columns of a table or an export.
     */
    public List<String> readableFields(String typeName) {
        org.meshledger.ledger.identity.PartyId party = currentPrincipal.get().party();
        org.meshledger.ledger.schema.RecordType type = engine.network().schema().type(typeName)
                .orElseThrow(() -> new org.meshledger.ledger.query.NotFoundException(
                        "The network has no record type '" + typeName + "'"));
        List<String> readable = new java.util.ArrayList<>();
        type.jsonSchema().path("properties").fieldNames().forEachRemaining(field -> {
            if (engine.policy().canReadField(party, type, field)) {
                readable.add(field);
            }
        });
        return readable;
    }

    /** The values a field of a type may take (its schema's {@code enum}), empty when any value goes. */
    public List<String> choices(String typeName, String field) {
        currentPrincipal.get();
        List<String> values = new java.util.ArrayList<>();
        engine.network().schema().type(typeName).ifPresent(type -> type.jsonSchema().path("properties").path(field)
                .path("enum").forEach(value -> values.add(value.asText())));
        return values;
    }

    /** Counts of the listed records by a field's value, under the same access as the list. */
    public Map<String, Long> countBy(String type, ListQuery conditions, String field) {
        try {
            return engine.reader().countBy(currentPrincipal.get(), type, conditions, field);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * Whether any of these records of a type the caller may see has been changed by a block after
     * {@code height}: how a page learns that what it shows is out of date; it then reads them again.
     */
    public boolean changedAfter(String type, java.util.Collection<String> ids, long height) {
        try {
            return engine.reader().changedAfter(currentPrincipal.get(), type, ids, height);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * The read receipts of the caller's party's records (who was shown which pii or confidential
     * fields, when, by which path), newest first; for its party administrators.
     */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public List<ReadReceiptRow> readReceipts(String type, String id, Instant from, Instant to, int page, int size) {
        if (size < 1 || size > ListQuery.MAX_SIZE) {
            throw new InvalidQueryException("size", "size is between 1 and " + ListQuery.MAX_SIZE);
        }
        if (page < 0) {
            throw new InvalidQueryException("page", "page starts at 0");
        }
        try {
            return engine.receipts().ofOwner(currentPrincipal.get().party().value(), type, id, from, to, page * size,
                    size);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /** The caller's party's records holding values past their retention, to purge; for its administrators. */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public List<RetentionReport.Expired> expired(int limit) {
        if (limit < 1 || limit > ListQuery.MAX_SIZE) {
            throw new InvalidQueryException("limit", "limit is between 1 and " + ListQuery.MAX_SIZE);
        }
        try {
            return engine.retention().expired(currentPrincipal.get().party(), limit);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }
}
