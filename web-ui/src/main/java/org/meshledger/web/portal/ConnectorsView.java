package org.meshledger.web.portal;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.meshledger.connect.runtime.DeadLetterReplay;
import org.meshledger.connect.service.ConnectorService;
import org.meshledger.connect.service.ConnectorStateException;
import org.meshledger.connect.service.ConnectorView;
import org.meshledger.connect.service.DeadLetterView;
import org.meshledger.ledger.json.Json;

/**
 * The connectors page: the user's party's connectors with their status (last sync, lag, errors), and
 * for its party administrators each connector's open dead letters, to replay or discard.
 */
@Named
@ViewScoped
public class ConnectorsView implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int LETTERS = 50;

    @EJB
    private transient ConnectorService service;

    @Inject
    private SignedInUser user;

    private List<ConnectorView> connectors;
    private String selected;
    private List<DeadLetterView> letters = List.of();

    @PostConstruct
    void load() {
        refresh();
    }

    public void refresh() {
        connectors = service.list();
        if (selected != null && user.isPartyAdmin()) {
            letters = service.deadLetters(selected, "open", 0, LETTERS);
        }
    }

    public void select(String connector) {
        selected = connector;
        refresh();
    }

    public void replay(long letter) {
        try {
            DeadLetterReplay.Outcome outcome = service.replay(selected, letter);
            message(outcome.replayed() ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN,
                    outcome.replayed() ? "Replayed" : "Failed again",
                    outcome.replayed() ? "Dead letter " + letter + " moved." : outcome.reason());
        } catch (ConnectorStateException e) {
            message(FacesMessage.SEVERITY_ERROR, "Not replayed", e.getMessage());
        }
        refresh();
    }

    public void replayAll() {
        try {
            List<DeadLetterReplay.Outcome> outcomes = service.replayAll(selected);
            long moved = outcomes.stream().filter(DeadLetterReplay.Outcome::replayed).count();
            message(moved == outcomes.size() ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN, "Replayed",
                    moved + " of " + outcomes.size() + " dead letters moved.");
        } catch (ConnectorStateException e) {
            message(FacesMessage.SEVERITY_ERROR, "Not replayed", e.getMessage());
        }
        refresh();
    }

    public void discard(long letter) {
        try {
            service.discard(selected, letter);
            message(FacesMessage.SEVERITY_INFO, "Discarded", "Dead letter " + letter + " is closed.");
        } catch (ConnectorStateException e) {
            message(FacesMessage.SEVERITY_ERROR, "Not discarded", e.getMessage());
        }
        refresh();
    }

    private static void message(FacesMessage.Severity severity, String summary, String detail) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, summary, detail));
    }

    public List<ConnectorView> getConnectors() {
        return connectors;
    }

    public String getSelected() {
        return selected;
    }

    public List<DeadLetterView> getLetters() {
        return letters;
    }

    /** "12 s ago", or "never". */
    public String ago(Instant then) {
        if (then == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(then, Instant.now()).toSeconds());
        return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago";
    }

    public String mappings(ConnectorView connector) {
        return String.join(", ", connector.mappings().stream().map(m -> m.type() + " ⇄ " + m.object() + " ("
                + m.direction() + ")").toList());
    }

    public String payload(DeadLetterView letter) {
        String text = Json.write(letter.payload());
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
