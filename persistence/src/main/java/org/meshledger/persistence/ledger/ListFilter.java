package org.meshledger.persistence.ledger;

import java.util.List;
import java.util.Map;

/**
 * What a list's records must match. Field names here are already checked by the caller against the
 * schema (they go into SQL as JSON keys, never as values); {@link #ID} stands for the record id.
 *
 * @param containment a JSON object the record's state must contain, or null
 * @param prefixes field to text the field's value starts with, ignoring case
 * @param anyOf field to values, one of which the field's value equals (as text)
 */
public record ListFilter(String containment, Map<String, String> prefixes, Map<String, List<String>> anyOf) {

    /** The name that means the record id in {@link #prefixes} and {@link #anyOf}. */
    public static final String ID = "$id";
    /** Stands for the owning party in a count by owner. */
    public static final String OWNER = "$owner";

    public static final ListFilter NONE = new ListFilter(null, Map.of(), Map.of());

    public ListFilter {
        prefixes = Map.copyOf(prefixes);
        anyOf = Map.copyOf(anyOf);
    }

    public static ListFilter containing(String containment) {
        return new ListFilter(containment, Map.of(), Map.of());
    }
}
