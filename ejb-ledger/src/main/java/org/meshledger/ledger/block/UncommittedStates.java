package org.meshledger.ledger.block;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.meshledger.persistence.ledger.RecordKey;

/**
 * Records as blocks that are prepared but not yet committed left them. While one block is being
 * written, the next is applied on top of it: it must see these states, not the database's older
 * ones. An entry leaves once its block is committed (the database then has it), unless a later
 * block has replaced it.
 */
public final class UncommittedStates {

    private record Entry(RecordState state, long height) {
    }

    private final Map<RecordKey, Entry> states = new ConcurrentHashMap<>();

    RecordState get(RecordKey key) {
        Entry entry = states.get(key);
        return entry == null ? null : entry.state();
    }

    void put(RecordKey key, RecordState state, long height) {
        states.put(key, new Entry(state, height));
    }

    /** The block at this height is in the database: its entries are no longer needed. */
    public void committed(long height) {
        states.values().removeIf(entry -> entry.height() == height);
    }

    /** Forgets everything: the prepared blocks were dropped (one of them could not be written). */
    public void clear() {
        states.clear();
    }

    public boolean isEmpty() {
        return states.isEmpty();
    }
}
