package org.meshledger.web.portal;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.service.NetworkOverview;
import org.meshledger.ledger.service.NetworkService;
import org.meshledger.ledger.service.RecordService;
import org.meshledger.ledger.admission.AdmissionRefusedException;
import org.meshledger.ledger.service.VerificationRuns;
import org.meshledger.ledger.service.VerificationStatus;
import org.meshledger.persistence.ledger.AsOf;

/**
 * The network dashboard: the parties, the ledger's height, last block and signed digest, full
 * verification with its progress, transactions per minute and the open delinquencies the signed-in
 * party may read, by age.
 */
@Named
@ViewScoped
public class DashboardView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int MINUTES = 30;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    /** Lower bounds of the age buckets, in days past due. */
    private static final int[] AGES = {0, 30, 60, 90};
    private static final String[] AGE_LABELS = {"under 30 days", "30–59 days", "60–89 days", "90 days or more"};

    @EJB
    private NetworkService network;

    @EJB
    private RecordService records;

    @EJB
    private VerificationRuns verification;

    private NetworkOverview overview;
    private String transactionsChart;
    private String delinquencyChart;
    private long openDelinquencies;

    @PostConstruct
    void load() {
        overview = network.overview();
        transactionsChart = transactionsChart(network.transactionsPerMinute(MINUTES));
        delinquencyChart = delinquencyChart();
    }

    /** Reloads the figures (after a block is committed). */
    public void refresh() {
        load();
    }

    private static String transactionsChart(Map<Instant, Long> perMinute) {
        ObjectNode chart = chart("bar", "Transactions per minute (UTC)");
        ArrayNode labels = chart.withObjectProperty("data").putArray("labels");
        ArrayNode data = dataset(chart, "Transactions");
        perMinute.forEach((minute, count) -> {
            labels.add(MINUTE.format(minute));
            data.add(count);
        });
        return Json.write(chart);
    }

    private String delinquencyChart() {
        Map<String, Long> byDays = records.countBy("Delinquency", new ListQuery(Map.of("status", "open"), List.of(),
                0, 1, AsOf.NOW), "daysPastDue");
        long[] buckets = new long[AGES.length];
        openDelinquencies = 0;
        byDays.forEach((days, count) -> {
            int bucket = 0;
            int value = days == null ? 0 : (int) Double.parseDouble(days);
            for (int i = 0; i < AGES.length; i++) {
                if (value >= AGES[i]) {
                    bucket = i;
                }
            }
            buckets[bucket] += count;
            openDelinquencies += count;
        });
        ObjectNode chart = chart("bar", "Open delinquencies by days past due");
        ArrayNode labels = chart.withObjectProperty("data").putArray("labels");
        ArrayNode data = dataset(chart, "Open delinquencies");
        for (int i = 0; i < AGES.length; i++) {
            labels.add(AGE_LABELS[i]);
            data.add(buckets[i]);
        }
        return Json.write(chart);
    }

    private static ObjectNode chart(String type, String title) {
        ObjectNode chart = Json.object();
        chart.put("type", type);
        chart.putObject("data");
        ObjectNode options = chart.putObject("options");
        options.put("animation", false);
        options.putObject("plugins").putObject("title").put("display", true).put("text", title);
        options.withObjectProperty("plugins").putObject("legend").put("display", false);
        options.putObject("scales").putObject("y").put("beginAtZero", true).putObject("ticks").put("precision", 0);
        return chart;
    }

    private static ArrayNode dataset(ObjectNode chart, String label) {
        ObjectNode set = chart.withObjectProperty("data").putArray("datasets").addObject();
        set.put("label", label);
        set.put("backgroundColor", "#2f6f9f");
        return set.putArray("data");
    }

    public void startVerification() {
        VerificationStatus status;
        try {
            status = verification.start();
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof AdmissionRefusedException refused) {
                FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_WARN,
                        "Verification not started", refused.getMessage()));
                return;
            }
            throw e;
        }
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                "Verification started", "Full verification of " + status.blocksToCheck() + " blocks started."));
    }

    public VerificationStatus getVerification() {
        return verification.status();
    }

    public String getVerificationSummary() {
        VerificationStatus status = verification.status();
        if (status.startedAt() == null) {
            return "Not run since the node started.";
        }
        if (status.running()) {
            return "Checking block " + status.blocksChecked() + " of " + status.blocksToCheck() + "…";
        }
        if (status.failure() != null) {
            return "Could not finish: " + status.failure();
        }
        var report = status.report();
        String when = FieldText.time(status.finishedAt()) + " (started by " + status.startedBy() + ")";
        return report.intact()
                ? "Intact: " + report.blocks() + " blocks, " + report.transactions() + " transactions, "
                        + report.versions() + " record versions recomputed" + (report.purged() > 0
                                ? ", " + report.purged() + " with purged fields" : "") + ". " + when
                : "NOT intact: " + report.problem().message() + ". " + when;
    }

    public String getVerificationState() {
        VerificationStatus status = verification.status();
        if (status.startedAt() == null) {
            return "never";
        }
        if (status.running()) {
            return "running";
        }
        return status.report() != null && status.report().intact() ? "intact" : "broken";
    }

    public NetworkOverview getOverview() {
        return overview;
    }

    public List<PartyDefinition> getParties() {
        return overview.parties();
    }

    public String getLastBlockTime() {
        return FieldText.time(overview.lastBlockTime());
    }

    public String getTransactionsChart() {
        return transactionsChart;
    }

    public String getDelinquencyChart() {
        return delinquencyChart;
    }

    public long getOpenDelinquencies() {
        return openDelinquencies;
    }
}
