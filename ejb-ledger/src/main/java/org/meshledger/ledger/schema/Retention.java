package org.meshledger.ledger.schema;

import java.time.Period;

/**
 * How long a field's values are kept ({@code x-retention}): a period after an event, e.g.
 * {@code {"period": "P7Y", "after": "loan-closed"}}. Enforced by the retention and purge stage.
 */
public record Retention(Period period, String after) {
}
