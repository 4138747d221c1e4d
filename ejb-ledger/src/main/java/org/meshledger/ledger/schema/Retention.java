package org.meshledger.ledger.schema;

import java.time.Period;

/**
 * How long a field's values are kept ({@code x-retention}): a period after an event, e.g.
 * {@code {"period": "P7Y", "after": "loan-closed", "via": "^Loan.borrowerId"}}. {@code after} is
 * {@code recorded} (the time a value was recorded) or an event of the schema's {@code x-events};
 * {@code via} leads from the record to the records the event happens to, when they are of another
 * type: a field holding their key, or {@code ^Type.field} for the records whose field holds this
 * record's key. Expired values are reported ({@code RetentionReport}) for their owner to purge.
 */
public record Retention(Period period, String after, String via) {

    public static final String RECORDED = "recorded";

    public boolean afterRecorded() {
        return RECORDED.equals(after);
    }
}
