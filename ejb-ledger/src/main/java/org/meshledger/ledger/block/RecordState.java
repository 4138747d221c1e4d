package org.meshledger.ledger.block;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record as the block applier tracks it while it applies a block: its latest version, state (null
 * once deleted) and owner.
 */
record RecordState(int version, JsonNode state, String owner) {

    static final RecordState ABSENT = new RecordState(0, null, null);

    boolean exists() {
        return state != null;
    }
}
