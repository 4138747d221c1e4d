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

    boolean matches(DataProduct product) {
        return (blank(name) || contains(product.name(), name) || contains(product.type(), name))
                && (blank(owner) || product.owner().party().equalsIgnoreCase(owner.trim()))
                && (blank(field) || product.fields().stream().anyMatch(f -> f.name().equalsIgnoreCase(field.trim())))
                && (blank(classification) || product.fields().stream()
                        .anyMatch(f -> classification.trim().equalsIgnoreCase(f.classification())));
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static boolean contains(String text, String part) {
        return text.toLowerCase(Locale.ROOT).contains(part.trim().toLowerCase(Locale.ROOT));
    }
}
