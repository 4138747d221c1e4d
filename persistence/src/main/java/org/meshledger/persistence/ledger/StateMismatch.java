package org.meshledger.persistence.ledger;

import java.util.List;

/**
 * A record whose current row ({@code record_current}) is not its latest version: the columns that
 * differ, or, when one of the two rows is missing, which one.
 *
 * @param noCurrentRow it has versions but no current row
 * @param noVersions it has a current row but no version
 * @param columns the columns of the current row that differ from its latest version (e.g. {@code deleted})
 */
public record StateMismatch(RecordKey key, boolean noCurrentRow, boolean noVersions, List<String> columns) {

    public StateMismatch {
        columns = List.copyOf(columns);
    }
}
