package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.RecordService;
import org.meshledger.persistence.ledger.AsOf;

/**
 * A record's history: every version with who, what and when, what each changed, the record as of a
 * date or a block, and where it came from. Read through the access policy like every page.
 */
@Named
@ViewScoped
public class RecordHistoryView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private RecordService records;

    private String type;
    private String id;
    private List<VersionEntry> versions = List.of();
    private final AsOfInput asOfInput = new AsOfInput();
    private RecordDisplay asOf;

    /** Reads the record named by the {@code type} and {@code id} parameters (f:viewAction). */
    public void load() {
        versions = List.of();
        if (type == null || id == null) {
            message(FacesMessage.SEVERITY_WARN, "No record given.");
            return;
        }
        try {
            List<VersionEntry> read = new ArrayList<>();
            for (HistoryEntry entry : records.history(type, id)) {
                read.add(new VersionEntry(RecordDisplay.of(entry.version()), changes(entry.changes())));
            }
            java.util.Collections.reverse(read);
            versions = List.copyOf(read);
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof NotFoundException) {
                message(FacesMessage.SEVERITY_WARN, "There is no record " + type + "/" + id + " you can see.");
                return;
            }
            throw e;
        }
    }

    /** Shows the record as it was at the end of a day (UTC) or at a block. */
    public void showAsOf() {
        asOf = null;
        if (asOfInput.isEmpty()) {
            message(FacesMessage.SEVERITY_ERROR, "Give a date or a block height.");
            return;
        }
        AsOf point = asOfInput.point();
        if (point == null) {
            return;
        }
        try {
            asOf = RecordDisplay.of(records.get(type, id, point));
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof NotFoundException) {
                message(FacesMessage.SEVERITY_INFO, type + "/" + id + " did not exist at that point.");
                return;
            }
            throw e;
        }
    }

    /** A JSON Patch as lines a person reads: "set status: open → cured" would need the old value; ops say it. */
    private static List<String> changes(JsonNode patch) {
        List<String> lines = new ArrayList<>();
        for (JsonNode op : patch) {
            String path = op.path("path").asText().replaceFirst("^/", "").replace('/', '.');
            String value = op.has("value") ? FieldText.of(op.get("value")) : null;
            lines.add(switch (op.path("op").asText()) {
                case "add" -> path + " set to " + value;
                case "replace" -> path + " changed to " + value;
                case "remove" -> path + " removed";
                default -> op.path("op").asText() + " " + path;
            });
        }
        return lines;
    }

    private static void message(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, text));
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public List<VersionEntry> getVersions() {
        return versions;
    }

    public AsOfInput getAsOfInput() {
        return asOfInput;
    }

    public RecordDisplay getAsOf() {
        return asOf;
    }

    /** A version and what it changed. */
    public static final class VersionEntry implements Serializable {

        private static final long serialVersionUID = 1L;

        private final RecordDisplay version;
        private final List<String> changes;

        VersionEntry(RecordDisplay version, List<String> changes) {
            this.version = version;
            this.changes = changes;
        }

        public RecordDisplay getVersion() {
            return version;
        }

        public List<String> getChanges() {
            return changes;
        }
    }
}
