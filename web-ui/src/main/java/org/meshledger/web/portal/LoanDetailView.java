package org.meshledger.web.portal;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.primefaces.PrimeFaces;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.NetworkService;
import org.meshledger.ledger.service.RecordService;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.OperationKind;
import org.meshledger.persistence.ledger.AsOf;

/**
 * A loan and everything that hangs off it, as the signed-in party may read it, and the actions its
 * party and roles allow there: each one ledger transaction.
 */
@Named
@ViewScoped
public class LoanDetailView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private RecordService records;

    @EJB
    private NetworkService network;

    @Inject
    private LedgerActions actions;

    @Inject
    private SignedInUser user;

    private String loanNumber;
    private final AsOfInput asOf = new AsOfInput();
    private AsOf point = AsOf.NOW;
    private RecordDisplay loan;
    private RecordDisplay borrower;
    private RecordDisplay property;
    private List<RecordDisplay> payments = List.of();
    private List<RecordDisplay> delinquencies = List.of();
    private List<RecordDisplay> plans = List.of();
    private List<RecordDisplay> securities = List.of();
    private List<RecordDisplay> disclosures = List.of();
    /** The height the page's data was read at: a block above it may have changed what is shown. */
    private long shownHeight;
    private final PaymentForm payment = new PaymentForm();
    private final PlanForm plan = new PlanForm();
    private String guidance;
    private String disclosureId;
    private String disclosureNotes;
    private String disclosureStatus;

    /** Reads the loan named by the {@code loan} parameter (f:viewAction), and starts the forms from it. */
    public void load() {
        reload();
        resetForms();
    }

    private void reload() {
        if (loanNumber == null || loanNumber.isBlank()) {
            notFound("No loan number given.");
            return;
        }
        point = asOf.point();
        if (point == null) {
            loan = null;
            return;
        }
        try {
            read();
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof NotFoundException) {
                // Hidden and missing read the same here too.
                notFound("There is no loan " + loanNumber + " you can see" + (isPast() ? " at that point." : "."));
                return;
            }
            throw e;
        }
    }

    private void read() {
        shownHeight = network.height();
        loan = RecordDisplay.of(records.get("Loan", loanNumber, point));
        borrower = optional("Borrower", loan.value("borrowerId"));
        property = optional("Property", loan.value("propertyId"));
        payments = byLoan("Payment", "-dueDate");
        delinquencies = byLoan("Delinquency", "-status");
        plans = byLoan("AssistancePlan", "status");
        List<RecordDisplay> inclusions = byLoan("LoanInclusion", "securityId");
        List<String> securityIds = inclusions.stream().map(i -> i.value("securityId")).distinct().toList();
        securities = securityIds.isEmpty() ? List.of() : list("Security", Map.of("securityId", securityIds), "cusip");
        disclosures = securityIds.isEmpty() ? List.of()
                : list("Disclosure", Map.of("securityId", securityIds), "-period");
    }

    /** The forms start from the loan as now read (on opening the page and after the user's own action). */
    private void resetForms() {
        if (loan != null) {
            guidance = loan.value("servicingGuidance");
            payment.reset(loan);
        }
    }

    private RecordDisplay optional(String type, String id) {
        if (id == null) {
            return null;
        }
        try {
            return RecordDisplay.of(records.get(type, id, point));
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof NotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private List<RecordDisplay> byLoan(String type, String sort) {
        if (!records.readableFields(type).contains("loanNumber")) {
            return List.of(); // a type the party does not read (the home owner and pools)
        }
        return records.list(type, new ListQuery(Map.of("loanNumber", loanNumber), List.of(sort), 0, ListQuery.MAX_SIZE,
                point)).items().stream().map(RecordDisplay::of).toList();
    }

    private List<RecordDisplay> list(String type, Map<String, List<String>> anyOf, String sort) {
        return records.list(type, new ListQuery(Map.of(), Map.of(), anyOf, List.of(sort), 0, ListQuery.MAX_SIZE,
                point)).items().stream().map(RecordDisplay::of).toList();
    }

    private void notFound(String text) {
        loan = null;
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_WARN, text, text));
    }

    /**
     * Called when a block is committed somewhere: reads the page again if a record on it changed or
     * one was added to the loan (a few small queries when nothing did).
     */
    public void refreshIfChanged() {
        if (loan == null || isPast()) {
            return;
        }
        // Taken before looking: a block committed meanwhile is looked at again on its own notice.
        long checkedAt = network.height();
        boolean changed = records.changedAfter("Loan", List.of(loanNumber), shownHeight)
                || changed("Payment", payments) || changed("Delinquency", delinquencies)
                || changed("AssistancePlan", plans) || changed("Disclosure", disclosures);
        if (changed || newRecordsFor()) {
            reload();
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    "Updated", "Updated: another change to this loan was committed."));
            // Only a changed page is drawn again, and only what it shows: what the user is typing into a
            // form stays (the expected versions the forms submit with are the ones just read).
            if (loan == null) {
                PrimeFaces.current().ajax().update("loan-page"); // no longer one it may see
            } else {
                PrimeFaces.current().ajax().update("messages", "loan-heading", "loan-records");
            }
        } else {
            shownHeight = checkedAt;
        }
    }

    private boolean changed(String type, List<RecordDisplay> shown) {
        return !shown.isEmpty() && records.changedAfter(type, shown.stream().map(RecordDisplay::getId).toList(),
                shownHeight);
    }

    /** Whether a record about this loan was added (a new payment, plan or delinquency): one count each. */
    private boolean newRecordsFor() {
        return count("Payment") != payments.size() || count("Delinquency") != delinquencies.size()
                || count("AssistancePlan") != plans.size();
    }

    private long count(String type) {
        if (!records.readableFields(type).contains("loanNumber")) {
            return 0;
        }
        return records.countBy(type, new ListQuery(Map.of("loanNumber", loanNumber), List.of(), 0, 1, AsOf.NOW),
                "loanNumber").getOrDefault(loanNumber, 0L);
    }

    // ---- actions -------------------------------------------------------------------------------

    /** The servicer records a payment received or missed for a due date (one transaction). */
    public void recordPayment() {
        if (!payment.valid(getPaymentMethods())) {
            return;
        }
        String paymentId = "PAY-" + loanNumber.substring(2) + "-" + payment.getDueDate().substring(0, 7);
        RecordDisplay existing = payments.stream().filter(p -> p.getId().equals(paymentId)).findFirst().orElse(null);
        ObjectNode state = Json.object();
        state.put("status", payment.getOutcome());
        if (payment.getOutcome().equals("received")) {
            state.set("receivedAmount", money(payment.getAmount()));
            state.put("receivedDate", payment.getReceivedDate());
            state.put("method", payment.getMethod());
        }
        List<Operation> operations = new ArrayList<>();
        if (existing == null) {
            state.put("paymentId", paymentId);
            state.put("loanNumber", loanNumber);
            state.put("dueDate", payment.getDueDate());
            state.set("scheduledAmount", loan.value("monthlyPayment") == null ? money(payment.getAmount())
                    : money(loan.value("monthlyPayment")));
            operations.add(new Operation(OperationKind.CREATE, "Payment", paymentId, 0, state));
        } else {
            operations.add(new Operation(OperationKind.UPDATE, "Payment", paymentId, existing.getVersion(), state));
        }
        if (payment.getOutcome().equals("missed") && "current".equals(loan.value("status"))) {
            ObjectNode status = Json.object();
            status.put("status", "delinquent");
            operations.add(new Operation(OperationKind.UPDATE, "Loan", loanNumber, loan.getVersion(), status));
        }
        if (actions.submit(payment.getOutcome().equals("missed") ? "Missed payment recorded" : "Payment recorded",
                operations.toArray(Operation[]::new))) {
            load();
        }
    }

    /** The servicer offers an assistance plan (one transaction). */
    public void offerPlan() {
        if (!plan.valid(getPlanKinds())) {
            return;
        }
        int next = plans.stream().map(RecordDisplay::getId).filter(id -> id.startsWith("AP-" + loanNumber.substring(2)))
                .mapToInt(id -> id.equals("AP-" + loanNumber.substring(2)) ? 1
                        : Integer.parseInt(id.substring(id.lastIndexOf('-') + 1).replaceAll("\\D", "0")))
                .max().orElse(0) + 1;
        String planId = "AP-" + loanNumber.substring(2) + "-" + next;
        ObjectNode state = Json.object();
        state.put("planId", planId);
        state.put("loanNumber", loanNumber);
        state.put("kind", plan.getKind());
        state.put("status", "offered");
        state.put("offeredDate", today());
        state.put("startDate", plan.getStartDate());
        state.put("endDate", plan.getEndDate());
        state.set("monthlyPayment", money(plan.getMonthlyPayment()));
        if (plan.getTerms() != null && !plan.getTerms().isBlank()) {
            state.put("terms", plan.getTerms().strip());
        }
        if (actions.submit("Assistance plan " + planId + " offered",
                new Operation(OperationKind.CREATE, "AssistancePlan", planId, 0, state))) {
            plan.clear();
            load();
        }
    }

    /** The home owner accepts or declines an offered plan (one transaction). */
    public void decide(String planId, boolean accept) {
        RecordDisplay offered = plans.stream().filter(p -> p.getId().equals(planId)).findFirst().orElse(null);
        if (offered == null || !"offered".equals(offered.value("status"))) {
            FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR,
                    "Not recorded", "Not recorded: plan " + planId + " is not waiting for your decision."));
            return;
        }
        ObjectNode state = Json.object();
        state.put("status", accept ? "accepted" : "declined");
        state.put("decisionDate", today());
        if (actions.submit("Assistance plan " + planId + (accept ? " accepted" : " declined"),
                new Operation(OperationKind.UPDATE, "AssistancePlan", planId, offered.getVersion(), state))) {
            load();
        }
    }

    /** The loan owner updates its servicing guidance (one transaction). */
    public void updateGuidance() {
        if (guidance == null || guidance.isBlank()) {
            FacesContext.getCurrentInstance().addMessage("guidance-form:guidance", new FacesMessage(
                    FacesMessage.SEVERITY_ERROR, "Guidance is required", "Guidance: write the guidance to record."));
            return;
        }
        ObjectNode state = Json.object();
        state.put("servicingGuidance", guidance.strip());
        if (actions.submit("Guidance updated",
                new Operation(OperationKind.UPDATE, "Loan", loanNumber, loan.getVersion(), state))) {
            load();
        }
    }

    /** The securitizer updates a pool's disclosure (one transaction). */
    public void updateDisclosure() {
        RecordDisplay disclosure = disclosures.stream().filter(d -> d.getId().equals(disclosureId)).findFirst()
                .orElse(null);
        if (disclosure == null) {
            FacesContext.getCurrentInstance().addMessage("disclosure-form:disclosure", new FacesMessage(
                    FacesMessage.SEVERITY_ERROR, "Choose a disclosure", "Disclosure: choose one of this loan's pools'."));
            return;
        }
        ObjectNode state = Json.object();
        if (disclosureNotes != null) {
            state.put("notes", disclosureNotes.strip());
        }
        if (disclosureStatus != null && !disclosureStatus.isBlank()) {
            state.put("status", disclosureStatus);
            if (disclosureStatus.equals("published") && disclosure.value("publishedDate") == null) {
                state.put("publishedDate", today());
            }
        }
        if (actions.submit("Disclosure " + disclosureId + " updated",
                new Operation(OperationKind.UPDATE, "Disclosure", disclosureId, disclosure.getVersion(), state))) {
            load();
        }
    }

    /** Picks a disclosure to edit, filling the form from it. */
    public void selectDisclosure() {
        disclosures.stream().filter(d -> d.getId().equals(disclosureId)).findFirst().ifPresent(d -> {
            disclosureNotes = d.value("notes");
            disclosureStatus = d.value("status");
        });
    }

    private ObjectNode money(String amount) {
        ObjectNode money = Json.object();
        money.put("amount", amount);
        money.put("currency", currency());
        return money;
    }

    /** Money of this loan is in the loan's currency (its monthly payment's, its principal's). */
    private String currency() {
        String currency = loan.currency("monthlyPayment");
        return currency != null ? currency : loan.currency("originalPrincipal");
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    // ---- what the page asks ----------------------------------------------------------------------

    /** Whether the page shows the loan as it was (read only), not as it is. */
    public boolean isPast() {
        return !point.isNow();
    }

    public AsOfInput getAsOf() {
        return asOf;
    }

    public boolean isServicerEditor() {
        return !isPast() && user.is("servicer") && user.isEditor();
    }

    public boolean isHomeOwnerEditor() {
        return !isPast() && user.is("home-owner") && user.isEditor();
    }

    public boolean isLoanOwnerEditor() {
        return !isPast() && user.is("loan-owner") && user.isEditor();
    }

    public boolean isSecuritizerEditor() {
        return !isPast() && user.is("securitizer") && user.isEditor();
    }

    /** Payments by due date, oldest first, for the timeline; the next due date if nothing is recorded for it. */
    public List<TimelineEntry> getTimeline() {
        List<TimelineEntry> timeline = new ArrayList<>();
        for (RecordDisplay p : payments) {
            timeline.add(new TimelineEntry(p.value("dueDate"), p.value("status"), p.text("scheduledAmount"),
                    p.text("receivedAmount"), p.value("receivedDate")));
        }
        String next = loan == null ? null : loan.value("nextDueDate");
        if (next != null && timeline.stream().noneMatch(t -> next.equals(t.getDueDate()))) {
            timeline.add(new TimelineEntry(next, "scheduled", loan.text("monthlyPayment"), null, null));
        }
        timeline.sort(Comparator.comparing(TimelineEntry::getDueDate));
        return timeline;
    }

    public String getLoanNumber() {
        return loanNumber;
    }

    public void setLoanNumber(String loanNumber) {
        this.loanNumber = loanNumber;
    }

    public RecordDisplay getLoan() {
        return loan;
    }

    public RecordDisplay getBorrower() {
        return borrower;
    }

    public RecordDisplay getProperty() {
        return property;
    }

    public List<RecordDisplay> getPayments() {
        return payments;
    }

    public List<RecordDisplay> getDelinquencies() {
        return delinquencies;
    }

    public List<RecordDisplay> getPlans() {
        return plans;
    }

    public List<RecordDisplay> getSecurities() {
        return securities;
    }

    public List<RecordDisplay> getDisclosures() {
        return disclosures;
    }

    public long getShownHeight() {
        return shownHeight;
    }

    /** The schema's payment methods. */
    public List<String> getPaymentMethods() {
        return records.choices("Payment", "method");
    }

    /** The schema's kinds of assistance plan. */
    public List<String> getPlanKinds() {
        return records.choices("AssistancePlan", "kind");
    }

    /** The schema's disclosure statuses. */
    public List<String> getDisclosureStatuses() {
        return records.choices("Disclosure", "status");
    }

    public PaymentForm getPayment() {
        return payment;
    }

    public PlanForm getPlan() {
        return plan;
    }

    public String getGuidance() {
        return guidance;
    }

    public void setGuidance(String guidance) {
        this.guidance = guidance;
    }

    public String getDisclosureId() {
        return disclosureId;
    }

    public void setDisclosureId(String disclosureId) {
        this.disclosureId = disclosureId;
    }

    public String getDisclosureNotes() {
        return disclosureNotes;
    }

    public void setDisclosureNotes(String disclosureNotes) {
        this.disclosureNotes = disclosureNotes;
    }

    public String getDisclosureStatus() {
        return disclosureStatus;
    }

    public void setDisclosureStatus(String disclosureStatus) {
        this.disclosureStatus = disclosureStatus;
    }
}
