package org.meshledger.ledger.query;

import java.util.List;
import java.util.Map;

import org.meshledger.persistence.ledger.AsOf;

/**
 * Which records of a type to list.
 *
 * @param filters field to value: the record's field must equal it (indexed, readable fields only)
 * @param prefixes field to text: the record's field must start with it, ignoring case (indexed,
 *        readable text fields, or the type's key field)
 * @param anyOf field to values: the record's field must equal one of them (indexed, readable fields
 *        or the key field; at most {@link #MAX_SIZE} values)
 * @param sort fields to order by, {@code -field} for descending (indexed, readable fields only)
 */
public record ListQuery(Map<String, String> filters, Map<String, String> prefixes, Map<String, List<String>> anyOf,
        List<String> sort, int page, int size, AsOf asOf) {

    public static final int MAX_SIZE = 500;

    public ListQuery {
        filters = Map.copyOf(filters);
        prefixes = Map.copyOf(prefixes);
        anyOf = Map.copyOf(anyOf);
        sort = List.copyOf(sort);
    }

    /** Equality filters only. */
    public ListQuery(Map<String, String> filters, List<String> sort, int page, int size, AsOf asOf) {
        this(filters, Map.of(), Map.of(), sort, page, size, asOf);
    }
}
