package org.meshledger.connect.spi;

import java.util.Optional;

import org.apache.camel.RoutesBuilder;

/**
 * One configured connector between a party's system and its node, as Camel routes.
 *
 * <p>Inbound routes read the system's changes and send them as an {@link InboundBatch} to
 * {@link ConnectorContext#inboundEndpoint()}; when that call returns, every record of the batch is
 * committed to the ledger or in the dead-letter store, so that is when the route saves its position
 * in the system's stream ({@link ConnectorContext#cursors()}).
 *
 * <p>A connector that writes to its system consumes {@link ConnectorContext#outboundEndpoint()}:
 * the body is an {@link OutboundBatch}, and the route ends with an {@link OutboundReport} as the
 * body, saying per record what was written and what the system refused. A failure of the whole
 * batch (the system unreachable, 5xx, throttled, a timeout) is an exception: the core retries the
 * batch with backoff, then dead-letters its records.
 */
public interface Connector {

    /** The connector's routes, added to the node's Camel context when the connector starts. */
    RoutesBuilder routes();

    /**
     * The whole current record from the system, for a change that carries only some fields of a
     * record the ledger does not know yet. Connectors that cannot ask keep the default.
     */
    default Optional<SourceRecord> fetch(String object, String externalId) throws Exception {
        return Optional.empty();
    }

    /**
     * Whether a write carries only the fields the system does not have yet (an update of a CRM
     * record), or the whole record each time (a line of a file replaces the record).
     */
    default boolean writesChangesOnly() {
        return true;
    }

    /** Releases what the connector holds outside its routes (the routes are stopped first). */
    default void close() {
    }
}
