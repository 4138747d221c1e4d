package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.persistence.ledger.AsOf;

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
}
