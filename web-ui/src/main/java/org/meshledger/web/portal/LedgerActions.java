package org.meshledger.web.portal;

import java.util.Arrays;
import java.util.UUID;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBAccessException;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

import org.meshledger.ledger.access.AccessDeniedException;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.LedgerService;
import org.meshledger.ledger.transaction.FieldProblem;
import org.meshledger.ledger.transaction.InvalidTransactionException;
import org.meshledger.ledger.transaction.Operation;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;

/**
 * A portal action as one ledger transaction: submitted under the signed-in principal, answered
 * with a Faces message that says what was committed or why nothing was. Invalid input, a refusal
 * and a conflict write nothing and never show a stack trace.
 */
@RequestScoped
public class LedgerActions {

    @EJB
    private LedgerService ledger;

    /**
     * Submits the operations as one transaction.
     *
     * @param done what the message says once committed ("Payment recorded")
     * @return whether it was committed
     */
    public boolean submit(String done, Operation... operations) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            // A fresh key per click: a double submit of one form is not the same action twice.
            TransactionOutcome outcome = ledger.submit(new TransactionRequest("portal-" + UUID.randomUUID(), null, null,
                    null, Arrays.asList(operations)));
            if (outcome.status() == TransactionStatus.COMMITTED) {
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, done,
                        done + " in block " + outcome.blockHeight() + "."));
                return true;
            }
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Not recorded",
                    "Not recorded: " + outcome.rejection().message()));
            return false;
        } catch (RuntimeException e) {
            refused(faces, unwrapped(e));
            return false;
        }
    }

    private static void refused(FacesContext faces, Throwable e) {
        if (e instanceof InvalidTransactionException invalid) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Not recorded",
                    "Not recorded: " + invalid.getMessage()));
            for (FieldProblem problem : invalid.problems()) {
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, problem.message(),
                        problem.pointer() + ": " + problem.message()));
            }
        } else if (e instanceof AccessDeniedException || e instanceof NotFoundException) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Not allowed",
                    "Not recorded: " + e.getMessage()));
        } else if (e instanceof EJBAccessException) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Not allowed",
                    "Not recorded: your roles do not let you change records."));
        } else if (e instanceof LedgerUnavailableException) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Ledger unavailable",
                    "Not recorded: the ledger cannot take transactions right now. Please try again shortly."));
        } else if (e instanceof RuntimeException runtime) {
            throw runtime;
        } else {
            throw new IllegalStateException(e);
        }
    }

    /** The ledger's own exception, without the container's wrapping. */
    static Throwable unwrapped(Throwable e) {
        Throwable t = e;
        while (t instanceof EJBException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
