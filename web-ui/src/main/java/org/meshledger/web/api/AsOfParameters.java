package org.meshledger.web.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.persistence.ledger.AsOf;

/**
 * The query parameters that pick a point of history: {@code asOfHeight} (a block height) and
 * {@code asOfTime} (a recorded time) bound what the ledger knew; {@code validAt} picks what was in
 * effect at a business time.
 */
final class AsOfParameters {

    private AsOfParameters() {
    }

    static AsOf parse(Long asOfHeight, String asOfTime, String validAt) {
        if (asOfHeight != null && asOfHeight < 0) {
            throw new InvalidQueryException("asOfHeight", "asOfHeight is a block height, 0 or more");
        }
        return new AsOf(asOfHeight, instant("asOfTime", asOfTime), instant("validAt", validAt));
    }

    static Instant instant(String parameter, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, parameter + " must be an ISO 8601 instant such as "
                    + "2026-11-01T00:00:00Z, not '" + value + "'");
        }
    }
}
