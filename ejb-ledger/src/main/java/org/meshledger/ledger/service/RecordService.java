package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

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
