package org.meshledger.web.portal;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

import org.meshledger.persistence.ledger.AsOf;

/**
 * A page's "as of a date or a block" input: a block height wins; a date means the end of that day,
 * UTC.
 */
public final class AsOfInput implements Serializable {

    private static final long serialVersionUID = 1L;

    private String date;
    private Long block;

    /** Whether neither a date nor a block was given. */
    boolean isEmpty() {
        return block == null && (date == null || date.isBlank());
    }

    /** The point to read at ({@link AsOf#NOW} when empty), or null after a Faces message. */
    AsOf point() {
        if (block != null) {
            if (block < 1) {
                error("Block: heights start at 1.");
                return null;
            }
            return new AsOf(block, null, null);
        }
        if (isEmpty()) {
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

    public String getDate() {
        return date;
    }

    public void setDate(String date) {
        this.date = date;
    }

    public Long getBlock() {
        return block;
    }

    public void setBlock(Long block) {
        this.block = block;
    }
}
