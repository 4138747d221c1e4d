package org.meshledger.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartyIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"servicer", "loan-owner", "home-owner", "securitizer", "bank2"})
    void acceptsLowerCaseWordsJoinedByHyphens(String value) {
        assertEquals(value, new PartyId(value).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Servicer", "loan_owner", "-owner", "owner-", "loan--owner", "2bank", "a b"})
    void refusesAnythingElse(String value) {
        assertThrows(IllegalArgumentException.class, () -> new PartyId(value));
    }
}
