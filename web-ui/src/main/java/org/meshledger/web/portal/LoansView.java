package org.meshledger.web.portal;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.meshledger.ledger.admission.Admission;
import org.meshledger.ledger.admission.AdmissionRefusedException;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.web.api.CsvCells;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import org.primefaces.model.SortOrder;

import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordView;
import org.meshledger.ledger.service.AdmissionControl;
import org.meshledger.ledger.service.RecordService;

/**
 * The loans table: lazy, one page of loans per request (a count, the page, and the borrowers'
 * names in one more query), sorted and searched in the database, and its CSV export, all read
 * through the access policy like the API.
 */
@Named
@ViewScoped
public class LoansView implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Columns the table sorts on: indexed Loan fields (and the loan number, the record id). */
    private static final List<String> SORTABLE = List.of("loanNumber", "status", "nextDueDate", "originationDate");
    private static final int EXPORT_LIMIT = 200_000;

    @EJB
    private RecordService records;

    @EJB
    private AdmissionControl admission;

    private String search;
    private String status;
    private LoanSearch applied = new LoanSearch(null, null);
    private List<String> borrowerIds = List.of();
    private boolean namesShared;
    private List<String> loanFields;
    private List<String> statuses;
    private final Loans loans = new Loans();

    @PostConstruct
    void init() {
        namesShared = records.readableFields("Borrower").contains("fullName");
        loanFields = records.readableFields("Loan");
        statuses = records.choices("Loan", "status");
    }

    /** Applies the search box and the status filter. */
    public void apply() {
        LoanSearch next = new LoanSearch(search, status);
        List<String> ids = List.of();
        if (next.byBorrowerName()) {
            if (!namesShared) {
                message(FacesMessage.SEVERITY_WARN, "Borrower names are not shared with your party; "
                        + "search by loan number (L-…) instead.");
                return;
            }
            ids = next.matchingBorrowers(records);
            if (ids.size() == ListQuery.MAX_SIZE) {
                message(FacesMessage.SEVERITY_INFO, "More than " + ListQuery.MAX_SIZE + " borrowers match '"
                        + next.text() + "'; showing the loans of the first " + ListQuery.MAX_SIZE
                        + ". Type more of the name.");
            }
        }
        applied = next;
        borrowerIds = ids;
    }

    /**
     * Writes the loans of the current view (all pages, at most {@value #EXPORT_LIMIT}) as CSV, with
     * the columns the party may read, a page at a time as they are read. Admitted as an export
     * ({@code meshledger.admission.export.*}) while it writes; a refused one leaves the page with a
     * message saying when to try again.
     */
    public void exportCsv() throws IOException {
        FacesContext faces = FacesContext.getCurrentInstance();
        Admission.Permit permit;
        try {
            permit = admission.enter(WorkKind.EXPORT);
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof AdmissionRefusedException refused) {
                message(FacesMessage.SEVERITY_WARN, "Not exported: " + refused.getMessage() + " (try again in "
                        + refused.retryAfterSeconds() + " s).");
                return;
            }
            throw e;
        }
        try (permit) {
            writeCsv(faces);
        }
        faces.responseComplete();
    }

    private void writeCsv(FacesContext faces) throws IOException {
        ExternalContext external = faces.getExternalContext();
        external.responseReset();
        external.setResponseContentType("text/csv; charset=UTF-8");
        external.setResponseHeader("Content-Disposition", "attachment; filename=\"loans.csv\"");
        List<String> header = new ArrayList<>(loanFields);
        if (namesShared) {
            header.add(header.indexOf("borrowerId") + 1, "borrowerName");
        }
        Writer out = new OutputStreamWriter(external.getResponseOutputStream(), StandardCharsets.UTF_8);
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
                .get())) {
            int written = 0;
            for (int page = 0; written < EXPORT_LIMIT; page++) {
                RecordPage loansPage = records.list("Loan", applied.query(borrowerIds, loans.sort, page,
                        ListQuery.MAX_SIZE));
                Map<String, String> names = namesShared ? LoanSearch.borrowerNames(records, borrowerIdsOf(loansPage))
                        : Map.of();
                for (RecordView loan : loansPage.items()) {
                    RecordDisplay row = RecordDisplay.of(loan);
                    List<String> values = new ArrayList<>();
                    for (String column : header) {
                        values.add(CsvCells.cell(column.equals("borrowerName")
                                ? names.getOrDefault(row.value("borrowerId"), "")
                                : row.getFields().getOrDefault(column, "")));
                    }
                    csv.printRecord(values);
                    written++;
                }
                if (loansPage.items().size() < ListQuery.MAX_SIZE) {
                    break;
                }
            }
        }
    }

    private static List<String> borrowerIdsOf(RecordPage page) {
        return page.items().stream().filter(l -> l.state() != null && l.state().hasNonNull("borrowerId"))
                .map(l -> l.state().get("borrowerId").asText()).toList();
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, text));
    }

    /** One page of the table. */
    public final class Loans extends LazyDataModel<LoanRow> {

        private static final long serialVersionUID = 1L;
        private List<String> sort = List.of();
        private List<LoanRow> shown = List.of();
        /** The search the last page was loaded for, and the total it counted. */
        private LoanSearch counted;
        private long total;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            // PrimeFaces asks before each load; the load counts again (and sets the row count), so
            // only a new search needs a query here.
            if (counted != applied) {
                total = records.list("Loan", applied.query(borrowerIds, List.of(), 0, 1)).total();
                counted = applied;
            }
            return (int) total;
        }

        @Override
        public List<LoanRow> load(int first, int pageSize, Map<String, SortMeta> sortBy,
                Map<String, FilterMeta> filterBy) {
            sort = sortBy.values().stream().filter(s -> s.getOrder() != SortOrder.UNSORTED)
                    .filter(s -> SORTABLE.contains(s.getField()))
                    .map(s -> s.getField().equals("loanNumber") ? null
                            : (s.getOrder() == SortOrder.DESCENDING ? "-" : "") + s.getField())
                    .filter(java.util.Objects::nonNull).toList();
            int size = Math.max(1, Math.min(pageSize, ListQuery.MAX_SIZE));
            try {
                RecordPage page = records.list("Loan", applied.query(borrowerIds, sort, first / size, size));
                setRowCount((int) page.total());
                total = page.total();
                counted = applied;
                Map<String, String> names = namesShared ? LoanSearch.borrowerNames(records, borrowerIdsOf(page))
                        : Map.of();
                shown = page.items().stream().map(l -> new LoanRow(RecordDisplay.of(l), names)).toList();
                return shown;
            } catch (RuntimeException e) {
                if (LedgerActions.unwrapped(e) instanceof InvalidQueryException invalid) {
                    message(FacesMessage.SEVERITY_ERROR, invalid.getMessage());
                    setRowCount(0);
                    return List.of();
                }
                throw e;
            }
        }

        @Override
        public String getRowKey(LoanRow row) {
            return row.getLoanNumber();
        }

        /** A row of the page last shown (the table has no selection across pages). */
        @Override
        public LoanRow getRowData(String rowKey) {
            return shown.stream().filter(row -> row.getLoanNumber().equals(rowKey)).findFirst().orElse(null);
        }
    }

    public Loans getLoans() {
        return loans;
    }

    public String getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = search;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public boolean isNamesShared() {
        return namesShared;
    }

    public List<String> getStatuses() {
        return statuses;
    }
}
