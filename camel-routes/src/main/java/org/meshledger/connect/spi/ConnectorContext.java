package org.meshledger.connect.spi;

import java.util.List;

/** What the core gives a connector: its configuration, its endpoints and its durable positions. */
public interface ConnectorContext {

    /** The connector's id in the connectors file (unique in the node), e.g. {@code servicer-salesforce}. */
    String id();

    /** The party whose system this is. */
    String party();

    /** The system's name in the lineage of what comes from it, e.g. {@code salesforce}. */
    String system();

    /** The connector's kind-specific settings, placeholders resolved. */
    ConnectorSettings settings();

    /** The system objects it maps, with their directions and key fields. */
    List<ObjectMapping> mappings();

    /** Where inbound routes send an {@link InboundBatch}. */
    String inboundEndpoint();

    /** What the connector's outbound route consumes (an {@link OutboundBatch}); only if {@link #writes()}. */
    String outboundEndpoint();

    /** Whether any mapping writes to the system. */
    boolean writes();

    /** Whether any mapping reads from the system. */
    boolean reads();

    /** The connector's durable positions in the system's streams. */
    Cursors cursors();

    /** Tells operators how the connection to the system is doing (health, portal). */
    SourceReporter reporter();

    /**
     * Puts a record the connector cannot even read (a malformed line of a file, an event it cannot
     * parse) into the dead-letter store with its reason, as the core does with records it cannot map.
     */
    void deadLetter(SourceRecord record, String code, String reason);

    /** How many records an outbound batch holds at most (the connector may send them in smaller requests). */
    int batchSize();
}
