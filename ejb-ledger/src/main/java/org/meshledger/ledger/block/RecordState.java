package org.meshledger.ledger.block;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.access.RecordAccess;

/**
 * A record as the block applier tracks it while it applies a block: its latest version, state (null
 * once deleted), owner and what the owner shared of it.
 */
public record RecordState(int version, JsonNode state, String owner, RecordAccess access) {

    public static final RecordState ABSENT = new RecordState(0, null, null, RecordAccess.NONE);

    public boolean exists() {
        return state != null;
    }
}
