package org.meshledger.ledger.admission;

/**
 * The bounds of one {@link WorkKind}.
 *
 * @param nodeLimit runs of the kind at the same time on the node, at least 1
 * @param callerLimit runs of the kind at the same time for one caller (party and principal name),
 *        from 1 to {@code nodeLimit}
 * @param callerPerMinute runs one caller may start per minute (a token bucket holding that many, so
 *        they may come in a burst), or 0 for no rate limit
 */
public record AdmissionLimits(int nodeLimit, int callerLimit, int callerPerMinute) {

    public AdmissionLimits {
        if (nodeLimit < 1 || callerLimit < 1 || callerLimit > nodeLimit || callerPerMinute < 0) {
            throw new IllegalArgumentException("admission limits need a node limit of at least 1, a caller limit from 1 "
                    + "to the node limit and a rate per minute of 0 (none) or more: " + this);
        }
    }

    /** The defaults of a kind, which the settings override. */
    public static AdmissionLimits defaults(WorkKind kind) {
        return switch (kind) {
            case PROOF -> new AdmissionLimits(8, 2, 0);
            case EXPORT -> new AdmissionLimits(2, 1, 0);
            case VERIFICATION -> new AdmissionLimits(1, 1, 0);
        };
    }
}
