package org.meshledger.ledger.admission;

/**
 * The kinds of expensive work a node bounds, each with its own limits ({@code meshledger.admission.<key>.*},
 * docs/operations.md).
 */
public enum WorkKind {

    /** Inclusion and consistency proofs: each reads and hashes the block hashes up to a height. */
    PROOF("proof", "proofs", 1),
    /** Data product exports and the portal's CSV export: they page through every record of a type. */
    EXPORT("export", "exports", 10),
    /** Full verification: it reads and recomputes the whole ledger. */
    VERIFICATION("verification", "full verifications", 60);

    private final String key;
    private final String description;
    private final long busySeconds;

    WorkKind(String key, String description, long busySeconds) {
        this.key = key;
        this.description = description;
        this.busySeconds = busySeconds;
    }

    /** The Retry-After of a refusal because too many run: about how long one run of the kind takes. */
    public long busySeconds() {
        return busySeconds;
    }

    /** The name in the settings' keys, e.g. {@code meshledger.admission.export.node-limit}. */
    public String key() {
        return key;
    }

    /** What the work is, in the plural, for messages ("exports"). */
    public String description() {
        return description;
    }
}
