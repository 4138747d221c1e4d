package org.meshledger.ledger.schema;

import java.util.Arrays;
import java.util.Optional;

/** How sensitive a field is ({@code x-classification}). */
public enum Classification {
    PUBLIC("public"),
    INTERNAL("internal"),
    CONFIDENTIAL("confidential"),
    PII("pii");

    private final String keyword;

    Classification(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<Classification> of(String keyword) {
        return Arrays.stream(values()).filter(c -> c.keyword.equals(keyword)).findFirst();
    }
}
