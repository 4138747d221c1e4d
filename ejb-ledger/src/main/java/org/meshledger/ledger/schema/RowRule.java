package org.meshledger.ledger.schema;

import java.util.List;

import org.meshledger.persistence.ledger.RowScope;

/**
 * An {@code x-access.rows} rule: a party that reads a type under it reads only the records connected
 * to its user's linked record of type {@code link} by {@code steps} (e.g. a home owner, linked to
 * its Borrower, reads the Payments whose loan's borrower is that Borrower).
 */
public record RowRule(String link, List<RowScope.Step> steps) {

    public RowRule {
        steps = List.copyOf(steps);
    }

    /** The scope for a reader linked to {@code linkedRecord} ("Type/id"), or to nothing. */
    public RowScope scopeFor(String linkedRecord) {
        String prefix = link + "/";
        String anchor = linkedRecord != null && linkedRecord.startsWith(prefix)
                ? linkedRecord.substring(prefix.length()) : null;
        return new RowScope(steps, anchor);
    }
}
