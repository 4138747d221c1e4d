package org.meshledger.ledger.block;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one node may read of one record version, as the submitting node seals it to that node: the
 * values of the fields its parties may read, with their salts. A node that may read every field
 * gets the version's salt ({@code versionSalt}, from which every field's salt derives); one that may
 * read some fields only gets those fields' own salts ({@code fieldSalts}), so that it can never
 * derive the salt of a field it may not read.
 *
 * @param state the fields it may read, by value
 * @param versionSalt the version's salt when it may read every field, else null
 * @param fieldSalts the salt of each field in {@code state} when it may not read every field, else null
 */
public record VersionView(String type, String id, int version, ObjectNode state, byte[] versionSalt,
        Map<String, byte[]> fieldSalts) {

    public VersionView {
        if ((versionSalt == null) == (fieldSalts == null)) {
            throw new IllegalArgumentException("A view carries the version's salt or its fields' salts");
        }
        fieldSalts = fieldSalts == null ? null : Map.copyOf(fieldSalts);
    }

    public boolean complete() {
        return versionSalt != null;
    }

    /** The salt of a field it holds. */
    public byte[] saltOf(String field) {
        return versionSalt != null ? SaltedFields.fieldSalt(versionSalt, field) : fieldSalts.get(field);
    }
}
