package org.meshledger.connect.spi;

/** How a connector's link to its system is doing, for the node's health and the portal. */
public interface SourceReporter {

    /** The system answered (a poll, a subscription, a write). */
    void reachable();

    /** The system could not be read or written; the connector retries by itself. */
    void unreachable(String reason);

    /**
     * The connector refuses to go on: its system asked for something it must not do (send its
     * credentials to a host it is not configured to trust). The core stops the connector's routes and
     * its outbound feed, and the connector stays {@code failed} with the reason until the node starts
     * again (with its configuration put right). Unlike {@link #unreachable}, nothing is retried.
     */
    void failed(String reason);
}
