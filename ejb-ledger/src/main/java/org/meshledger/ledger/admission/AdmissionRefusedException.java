package org.meshledger.ledger.admission;

import jakarta.ejb.ApplicationException;

/**
 * The node refused to start a piece of expensive work now, because the node or the caller already
 * runs as many of its kind as allowed, or the caller started too many in the last minute. The
 * caller may try again after {@link #retryAfterSeconds()}; its message is the API's answer (a 429).
 */
@ApplicationException
public class AdmissionRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final WorkKind kind;
    private final long retryAfterSeconds;

    public AdmissionRefusedException(WorkKind kind, String message, long retryAfterSeconds) {
        super(message);
        this.kind = kind;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public WorkKind kind() {
        return kind;
    }

    /** Whole seconds to wait before trying again, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
