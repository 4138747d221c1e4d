package org.meshledger.persistence.ledger;

import java.util.List;

/**
 * Which records of a type a reader is limited to: those connected to its linked record
 * ({@code anchor}, e.g. the home owner's Borrower id) by a path of references. Each step but the
 * last moves to a related record: forward along a field that holds another record's key, or in
 * reverse to a record of another type whose field holds this record's key; the last step's field
 * must hold the anchor. Related records are taken as they currently are.
 *
 * @param anchor the linked record's id, or null when the reader has none (then no record is in scope)
 */
public record RowScope(List<Step> steps, String anchor) {

    /**
     * @param field the field followed
     * @param type the type of the related record (null for the last step)
     * @param reverse whether {@code field} is the related record's field that holds this record's key
     */
    public record Step(String field, String type, boolean reverse) {
    }

    public RowScope {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a row scope has at least one step");
        }
    }
}
