package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.List;

/** The servicer's "offer an assistance plan" form. */
public final class PlanForm implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String FORM = "plan-form:";

    private String kind = "forbearance";
    private String monthlyPayment;
    private String startDate;
    private String endDate;
    private String terms;

    boolean valid(List<String> kinds) {
        FormChecks checks = new FormChecks();
        kind = checks.oneOf(FORM + "kind", "Kind", kind, kinds);
        monthlyPayment = checks.amount(FORM + "plan-payment", "Monthly payment", monthlyPayment);
        startDate = checks.date(FORM + "start-date", "Start date", startDate);
        endDate = checks.date(FORM + "end-date", "End date", endDate);
        checks.after(FORM + "end-date", "End date", startDate, endDate);
        return checks.ok();
    }

    void clear() {
        kind = "forbearance";
        monthlyPayment = null;
        startDate = null;
        endDate = null;
        terms = null;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getMonthlyPayment() {
        return monthlyPayment;
    }

    public void setMonthlyPayment(String monthlyPayment) {
        this.monthlyPayment = monthlyPayment;
    }

    public String getStartDate() {
        return startDate;
    }

    public void setStartDate(String startDate) {
        this.startDate = startDate;
    }

    public String getEndDate() {
        return endDate;
    }

    public void setEndDate(String endDate) {
        this.endDate = endDate;
    }

    public String getTerms() {
        return terms;
    }

    public void setTerms(String terms) {
        this.terms = terms;
    }
}
