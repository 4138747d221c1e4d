package org.meshledger.web.portal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

import org.meshledger.persistence.ledger.AsOf;

/** A page's "as of a date or a block" input: a block height wins; a date means the end of that day, UTC. */
final class AsOfInput {

    private AsOfInput() {
    }

    /** The point to read at ({@link AsOf#NOW} when neither is given), or null after a Faces message. */
    static AsOf parse(String date, Long block) {
        if (block != null) {
            if (block < 1) {
                error("Block: heights start at 1.");
                return null;
            }
            return new AsOf(block, null, null);
        }
        if (date == null || date.isBlank()) {
            return AsOf.NOW;
        }
        try {
            Instant endOfDay = LocalDate.parse(date.strip()).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                    .minusNanos(1000);
            return new AsOf(null, endOfDay, null);
        } catch (DateTimeParseException e) {
            error("Date: '" + date + "' is not a date (YYYY-MM-DD).");
            return null;
        }
    }

    private static void error(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, text));
    }
}
