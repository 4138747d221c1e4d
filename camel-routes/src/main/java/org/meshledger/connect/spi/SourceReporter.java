package org.meshledger.connect.spi;

/** How a connector's link to its system is doing, for the node's health and the portal. */
public interface SourceReporter {

    /** The system answered (a poll, a subscription, a write). */
    void reachable();

    /** The system could not be read or written; the connector retries by itself. */
    void unreachable(String reason);
}
