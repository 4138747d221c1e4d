package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.service.RecordService;
import org.meshledger.persistence.ledger.AsOf;

/**
 * What the loans table is asked for: a search text (a loan number's start, or a borrower name's)
 * and a status. A borrower name is looked up among the borrowers the party may read, then their
 * loans are listed: two queries, whatever the page size.
 */
final class LoanSearch implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String text;
    private final String status;

    LoanSearch(String text, String status) {
        this.text = text == null ? "" : text.strip();
        this.status = status == null || status.isBlank() ? null : status;
    }

    boolean byLoanNumber() {
        return text.toUpperCase(Locale.ROOT).startsWith("L-");
    }

    boolean byBorrowerName() {
        return !text.isEmpty() && !byLoanNumber();
    }

    String text() {
        return text;
    }

    /**
     * The loans query for one page.
     *
     * @param borrowerIds the borrowers whose name matched, when searching by name
     */
    ListQuery query(List<String> borrowerIds, List<String> sort, int page, int size) {
        Map<String, String> filters = status == null ? Map.of() : Map.of("status", status);
        Map<String, String> prefixes = byLoanNumber() ? Map.of("loanNumber", text) : Map.of();
        Map<String, List<String>> anyOf = byBorrowerName() ? Map.of("borrowerId", borrowerIds) : Map.of();
        return new ListQuery(filters, prefixes, anyOf, sort, page, size, AsOf.NOW);
    }

    /** The ids of the borrowers whose name starts with the text (at most {@link ListQuery#MAX_SIZE}). */
    List<String> matchingBorrowers(RecordService records) {
        RecordPage borrowers = records.list("Borrower", new ListQuery(Map.of(), Map.of("fullName", text), Map.of(),
                List.of(), 0, ListQuery.MAX_SIZE, AsOf.NOW));
        return borrowers.items().stream().map(RecordView::id).toList();
    }

    /** The names of these borrowers, by id, in one query (only those the party may read). */
    static Map<String, String> borrowerNames(RecordService records, List<String> borrowerIds) {
        Map<String, String> names = new LinkedHashMap<>();
        if (borrowerIds.isEmpty()) {
            return names;
        }
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(borrowerIds));
        for (RecordView borrower : records.list("Borrower", new ListQuery(Map.of(), Map.of(),
                Map.of("borrowerId", distinct), List.of(), 0, ListQuery.MAX_SIZE, AsOf.NOW)).items()) {
            if (borrower.state() != null && borrower.state().hasNonNull("fullName")) {
                names.put(borrower.id(), borrower.state().get("fullName").asText());
            }
        }
        return names;
    }
}
