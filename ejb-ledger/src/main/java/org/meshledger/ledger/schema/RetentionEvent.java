package org.meshledger.ledger.schema;

import java.util.List;

/**
 * An event that starts retention periods ({@code x-events}): a record of {@code type} whose
 * {@code field} holds one of {@code values} (e.g. a Loan whose status is paid-off). It happened, for
 * a record linked to such records, once all of them hold such a value, at the time the last of them
 * was recorded so.
 */
public record RetentionEvent(String name, String type, String field, List<String> values) {

    public RetentionEvent {
        values = List.copyOf(values);
    }
}
