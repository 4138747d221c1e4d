package org.meshledger.web.portal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collection;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

import org.meshledger.ledger.json.Decimals;

/**
 * Server-side checks of a form's values, each failure a Faces message on its input that names the
 * field: the page says what to fix before anything reaches the ledger (which checks again).
 */
final class FormChecks {

    private boolean ok = true;

    boolean ok() {
        return ok;
    }

    String date(String clientId, String label, String value) {
        if (value == null || value.isBlank()) {
            return fail(clientId, label + " is required.", value);
        }
        try {
            return LocalDate.parse(value.strip()).toString();
        } catch (DateTimeParseException e) {
            return fail(clientId, label + ": '" + value + "' is not a date (YYYY-MM-DD).", value);
        }
    }

    String amount(String clientId, String label, String value) {
        if (value == null || value.isBlank()) {
            return fail(clientId, label + " is required.", value);
        }
        try {
            BigDecimal amount = Decimals.parse(value.strip().replace(",", ""));
            if (amount.signum() <= 0 || amount.scale() > 4) {
                return fail(clientId, label + " must be more than zero, with at most four decimals.", value);
            }
            return amount.toPlainString();
        } catch (Decimals.OutOfBounds e) {
            return fail(clientId, label + " is not an amount: " + e.getMessage() + ".", value);
        } catch (NumberFormatException e) {
            return fail(clientId, label + ": '" + value + "' is not an amount.", value);
        }
    }

    String oneOf(String clientId, String label, String value, Collection<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            return fail(clientId, label + ": choose one of " + String.join(", ", allowed) + ".", value);
        }
        return value;
    }

    void after(String clientId, String label, String start, String end) {
        if (ok && end != null && start != null && LocalDate.parse(end).isBefore(LocalDate.parse(start))) {
            fail(clientId, label + " cannot be before the start date.", end);
        }
    }

    /** Records the failure and hands back what was typed, so the form keeps it for correcting. */
    private String fail(String clientId, String text, String value) {
        ok = false;
        FacesContext.getCurrentInstance().addMessage(clientId, new FacesMessage(FacesMessage.SEVERITY_ERROR, text,
                text));
        return value;
    }
}
