package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.ledger.events.EventsNode;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.products.DataProduct;
import org.meshledger.ledger.products.DataProductCatalog;
import org.meshledger.ledger.products.DataProductSearch;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.persistence.NodeDataSource;
import org.meshledger.persistence.ledger.AsOf;
import org.meshledger.persistence.ledger.DataProductStore;

/** The data product catalog and exports, as the caller's party may see them. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class DataProductService {

    @Resource(lookup = NodeDataSource.JNDI_NAME)
    private DataSource dataSource;

    @EJB
    private LedgerEngine engine;

    @EJB
    private EventsNode events;

    @EJB
    private CurrentPrincipal currentPrincipal;

    public List<DataProduct> search(DataProductSearch search) {
        try {
            return catalog().search(currentPrincipal.get(), search);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /** @throws org.meshledger.ledger.query.NotFoundException for a product the caller reads nothing of */
    public DataProduct get(String owner, String type) {
        try {
            return catalog().get(currentPrincipal.get(), owner, type);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * Hands each current record of a product (from {@link #get}) the caller reads to {@code sink},
     * page by page through the same reader as every list (read receipts included).
     */
    public void export(DataProduct product, Consumer<RecordView> sink) {
        for (int page = 0; exportPage(product, page, sink); page++) {
            // the sink has the page
        }
    }

    /**
     * Hands the current records of one page ({@link ListQuery#MAX_SIZE} records of the product's
     * type, from page 0) the caller reads to {@code sink}, so that an export streams page by page
     * and never holds more than one page. Pages are read at the time of each call: a record changed
     * between two calls may appear in neither page or in both.
     *
     * @return whether there are pages after this one
     */
    public boolean exportPage(DataProduct product, int page, Consumer<RecordView> sink) {
        MeshPrincipal principal = currentPrincipal.get();
        String owner = product.owner().party();
        try {
            RecordPage records = engine.reader().list(principal, product.type(),
                    new ListQuery(java.util.Map.of(), List.of(), page, ListQuery.MAX_SIZE, AsOf.NOW));
            records.items().stream().filter(r -> r.owner().equals(owner)).forEach(sink);
            return (page + 1L) * ListQuery.MAX_SIZE < records.total();
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    private DataProductCatalog catalog() {
        return new DataProductCatalog(engine.network(), engine.policy(), engine.reader(),
                new DataProductStore(dataSource, engine.store()), events.outbox(), events.settings(), Clock.systemUTC());
    }
}
