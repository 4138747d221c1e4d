package org.meshledger.ledger.products;

import java.util.Locale;

/**
 * What a catalog search asks for; each given condition must hold (case is ignored).
 *
 * @param name part of the product's name or type
 * @param owner the owning party
 * @param field a field the product has (that the asker reads)
 * @param classification a classification of one of its fields (public, internal, confidential, pii)
 */
public record DataProductSearch(String name, String owner, String field, String classification) {

    public static final DataProductSearch ALL = new DataProductSearch(null, null, null, null);

    /** Whether a product of this name, type and owner, with these fields for the asker, matches. */
    boolean matches(String productName, String type, String productOwner, java.util.List<DataProduct.Field> fields) {
        return (blank(name) || contains(productName, name) || contains(type, name))
                && (blank(owner) || productOwner.equalsIgnoreCase(owner.trim()))
                && (blank(field) || fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(field.trim())))
                && (blank(classification) || fields.stream()
                        .anyMatch(f -> classification.trim().equalsIgnoreCase(f.classification())));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part.trim().toLowerCase(Locale.ROOT));
    }
}
