package org.meshledger.ledger.query;

import java.util.List;
import java.util.Map;

import org.meshledger.persistence.ledger.AsOf;

/**
 * Which records of a type to list.
 *
 * @param filters field to value: the record's field must equal it (indexed, readable fields only)
 * @param sort fields to order by, {@code -field} for descending (indexed, readable fields only)
 */
public record ListQuery(Map<String, String> filters, List<String> sort, int page, int size, AsOf asOf) {

    public static final int MAX_SIZE = 500;
}
