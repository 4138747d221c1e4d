package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.List;

/** The servicer's "record a payment" form. */
public final class PaymentForm implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String FORM = "payment-form:";

    private String dueDate;
    private String outcome = "received";
    private String amount;
    private String receivedDate;
    private String method = "ach";

    void reset(RecordDisplay loan) {
        dueDate = loan.value("nextDueDate");
        outcome = "received";
        amount = loan.value("monthlyPayment");
        receivedDate = null;
        method = "ach";
    }

    /** Checks and normalizes the values; false (with messages) if one is wrong. */
    boolean valid(List<String> methods) {
        FormChecks checks = new FormChecks();
        dueDate = checks.date(FORM + "due-date", "Due date", dueDate);
        outcome = checks.oneOf(FORM + "outcome", "Outcome", outcome, List.of("received", "missed"));
        if ("received".equals(outcome)) {
            amount = checks.amount(FORM + "amount", "Amount received", amount);
            receivedDate = checks.date(FORM + "received-date", "Date received", receivedDate);
            method = checks.oneOf(FORM + "method", "Method", method, methods);
        }
        return checks.ok();
    }

    public String getDueDate() {
        return dueDate;
    }

    public void setDueDate(String dueDate) {
        this.dueDate = dueDate;
    }

    public String getOutcome() {
        return outcome;
    }

    public void setOutcome(String outcome) {
        this.outcome = outcome;
    }

    public String getAmount() {
        return amount;
    }

    public void setAmount(String amount) {
        this.amount = amount;
    }

    public String getReceivedDate() {
        return receivedDate;
    }

    public void setReceivedDate(String receivedDate) {
        this.receivedDate = receivedDate;
    }

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        this.method = method;
    }
}
