package org.meshledger.connect.mapping;

import java.util.Locale;
import java.util.Optional;

/** How a value is converted between a system and the ledger ({@code "as"} in a field mapping). */
public enum FieldKind {
    STRING, INTEGER, DECIMAL, MONEY, DATE, DATETIME, BOOLEAN;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FieldKind> of(String keyword) {
        for (FieldKind kind : values()) {
            if (kind.keyword().equals(keyword)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
