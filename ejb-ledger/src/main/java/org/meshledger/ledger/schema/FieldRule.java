package org.meshledger.ledger.schema;

import org.meshledger.ledger.access.AccessRule;

/**
 * What the schema says about one top-level field of a record type beyond its JSON Schema:
 * access, classification, retention, and which record type it refers to.
 *
 * @param references the record type whose key this field holds ({@code x-references}), or null
 */
public record FieldRule(String name, AccessRule access, Classification classification, Retention retention,
        String references) {
}
