package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.Map;

/** A row of the loans table. */
public final class LoanRow implements Serializable {

    private static final long serialVersionUID = 1L;

    private final RecordDisplay loan;
    private final String borrowerName;

    LoanRow(RecordDisplay loan, Map<String, String> borrowerNames) {
        this.loan = loan;
        String borrowerId = loan.value("borrowerId");
        this.borrowerName = borrowerId == null ? "—" : borrowerNames.getOrDefault(borrowerId, "—");
    }

    public String getLoanNumber() {
        return loan.getId();
    }

    public String getBorrowerName() {
        return borrowerName;
    }

    public RecordDisplay getLoan() {
        return loan;
    }
}
