package org.meshledger.ledger.schema;

/**
 * How much one party may put into the ledger in one go: the bounds every value is checked against
 * when it is submitted (and again when a block applies it), so that nothing a party sends can make
 * the database refuse a block, the event broker refuse a record's event, or a reader's parser stall.
 * Configuration with safe defaults ({@code meshledger.limits.*}, see docs/security.md); the nodes of
 * one network must use the same values, since applying a block checks them too.
 *
 * @param maxOperations operations in one transaction
 * @param maxTextLength characters of a string whose schema declares no {@code maxLength}
 * @param maxIndexedTextLength characters of a string in an {@code x-indexes} field (a database index
 *        entry holds at most about 2,700 bytes, and a character takes up to 4)
 * @param maxRecordBytes bytes of a record's state as JSON (well under the event broker's 1 MB
 *        message limit, since an event carries the state and the change)
 * @param maxDepth nesting of objects and arrays in a record
 * @param maxRequestBytes bytes of one request body on the REST API
 */
public record InputLimits(int maxOperations, int maxTextLength, int maxIndexedTextLength, int maxRecordBytes,
        int maxDepth, int maxRequestBytes) {

    public static final InputLimits DEFAULT = new InputLimits(1000, 10_000, 500, 256 * 1024, 16, 8 * 1024 * 1024);

    public InputLimits {
        if (maxOperations < 1 || maxTextLength < 1 || maxIndexedTextLength < 1 || maxRecordBytes < 1024
                || maxDepth < 2 || maxRequestBytes < 1024) {
            throw new IllegalArgumentException("input limits must be positive (records and requests at least 1 KiB, "
                    + "nesting at least 2): " + this);
        }
        if (maxIndexedTextLength > 600) {
            throw new IllegalArgumentException("meshledger.limits.max-indexed-text-length is at most 600 characters "
                    + "(a database index entry holds about 2,700 bytes)");
        }
    }
}
