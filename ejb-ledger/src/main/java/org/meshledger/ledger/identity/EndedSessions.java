package org.meshledger.ledger.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The identity provider's sign-in sessions that have ended, by session id ({@code sid}), as its
 * back-channel logout told this node. A bearer token outlives the session it was issued in (until
 * it expires); refusing the tokens of ended sessions makes signing out take effect at once. An
 * entry is kept for {@link #KEPT}, longer than any access token lives.
 *
 * <p>Kept in this node's memory: a node that restarts has forgotten the sessions that ended before,
 * and in a network of nodes each node registers its own back-channel logout URL with the provider.
 */
@Singleton
@PermitAll
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EndedSessions {

    static final Duration KEPT = Duration.ofHours(12);

    private final Map<String, Instant> ended = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public void ended(String sessionId) {
        Instant now = clock.instant();
        ended.put(sessionId, now);
        ended.values().removeIf(at -> at.isBefore(now.minus(KEPT)));
    }

    public boolean hasEnded(String sessionId) {
        return sessionId != null && ended.containsKey(sessionId);
    }
}
