package org.meshledger.connect.config;

import java.util.List;

import org.meshledger.connect.spi.ConnectorSettings;

/**
 * One connector as the connectors file defines it.
 *
 * @param id unique in the node, e.g. {@code servicer-salesforce}; also the name of the system principal
 *        its inbound changes are submitted as
 * @param kind which provider makes it ({@code salesforce}, {@code dynamics}, {@code file-depot}, {@code webhook})
 * @param party the party whose system it connects
 * @param system the system's name in lineage (defaults to the kind)
 * @param mappings the mappings, as written (checked against the schema when the connector starts)
 * @param batchSize the most records written to the system in one batch
 * @param outboundFromStart whether a connector without a position first writes everything the party
 *        reads from the ledger's first block (else it starts at the ledger's height)
 */
public record ConnectorDefinition(String id, String kind, String party, String system, boolean enabled,
        ConnectorSettings settings, List<ConnectorSettings> mappings, RetryPolicy retry, int batchSize,
        boolean outboundFromStart) {

    public ConnectorDefinition {
        mappings = List.copyOf(mappings);
    }
}
