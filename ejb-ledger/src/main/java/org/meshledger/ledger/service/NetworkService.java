package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.ledger.block.ChainTip;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.network.NetworkDefinition;

/**
 * The ledger as a whole, for every principal: parties, height, digest, throughput. None of it names
 * a record, so none of it goes through the record access policy.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class NetworkService {

    @EJB
    private LedgerEngine engine;

    @EJB
    private CurrentPrincipal currentPrincipal;

    public NetworkOverview overview() {
        currentPrincipal.get();
        NetworkDefinition network = engine.network();
        ChainTip tip = engine.chain().tip();
        try {
            return new NetworkOverview(network.id(), network.displayName(), network.parties(), tip.height(),
                    tip.height() == 0 ? null : tip.lastTime(), tip.height() == 0 ? null : engine.proofs().digest(null));
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /** The committed height, from memory: cheap enough to ask many times a second. */
    public long height() {
        return engine.chain().height();
    }

    /**
     * Transactions committed in each of the last {@code minutes} minutes (oldest first, the current
     * minute last, zero where none were).
     */
    public Map<Instant, Long> transactionsPerMinute(int minutes) {
        currentPrincipal.get();
        if (minutes < 1 || minutes > 24 * 60) {
            throw new IllegalArgumentException("minutes is between 1 and 1440");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant since = now.minus(Duration.ofMinutes(minutes - 1L));
        try {
            Map<Instant, Long> counted = engine.store().transactionsPerMinute(since);
            Map<Instant, Long> perMinute = new LinkedHashMap<>();
            for (Instant minute = since; !minute.isAfter(now); minute = minute.plus(Duration.ofMinutes(1))) {
                perMinute.put(minute, counted.getOrDefault(minute, 0L));
            }
            return perMinute;
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }
}
