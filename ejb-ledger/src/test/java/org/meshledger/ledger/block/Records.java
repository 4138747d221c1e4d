package org.meshledger.ledger.block;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;

/** Operations on the mortgage network's records, for tests. */
final class Records {

    private Records() {
    }

    static Operation createBorrower(String id) {
        return new Operation(OperationKind.CREATE, "Borrower", id, null, Json.parse("""
                {"borrowerId": "%s", "fullName": "Ada Homeowner", "taxId": "123-45-6789"}""".formatted(id)));
    }

    static Operation createLoan(String loanNumber) {
        return new Operation(OperationKind.CREATE, "Loan", loanNumber, null, Json.parse("""
                {"loanNumber": "%s", "borrowerId": "B-1", "propertyId": "P-1",
                 "originalPrincipal": {"amount": "320000.00", "currency": "USD"},
                 "unpaidPrincipal": {"amount": "320000.00", "currency": "USD"},
                 "interestRate": "6.125", "termMonths": 360, "originationDate": "2024-03-01", "status": "current"}
                """.formatted(loanNumber)));
    }

    static Operation createSecurity(String id) {
        return new Operation(OperationKind.CREATE, "Security", id, null, Json.parse("""
                {"securityId": "%s", "name": "Pool %s", "poolType": "agency-mbs", "status": "open"}""".formatted(id, id)));
    }

    static Operation grant(String type, String id, String access) {
        return new Operation(OperationKind.GRANT, type, id, null, Json.parse(access));
    }

    static Operation revoke(String type, String id, String access) {
        return new Operation(OperationKind.REVOKE, type, id, null, Json.parse(access));
    }

    static Operation update(String type, String id, Integer expectedVersion, String patch) {
        return new Operation(OperationKind.UPDATE, type, id, expectedVersion, Json.parse(patch));
    }

    static Operation delete(String type, String id, Integer expectedVersion) {
        return new Operation(OperationKind.DELETE, type, id, expectedVersion, null);
    }
}
