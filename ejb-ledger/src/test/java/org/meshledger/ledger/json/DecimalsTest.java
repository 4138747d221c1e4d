package org.meshledger.ledger.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile decimal texts are refused before anything expensive is done with them. */
class DecimalsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0.00", "1250.75", "1e3", "1E+1000", "-1e-1000", "9.99e1000", "0e-1000",
        "123456789012345678901234567890.1234567890"})
    void ordinaryNumbersAreParsed(String text) {
        assertEquals(0, new BigDecimal(text).compareTo(Decimals.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "-1E-999999999", "1e1001", "1e-1001", "12.5e1000", "1e2147483647",
        "0e-999999999", "0E+999999999"})
    void hugeExponentsAreRefused(String text) {
        // Zero too: 0E-999999999 written out is a billion zeros.
        NumberFormatException e = assertThrows(Decimals.OutOfBounds.class, () -> Decimals.parse(text));
        assertEquals("'" + text + "' is out of range: a decimal number's exponent is between -1000 and 1000",
                e.getMessage());
    }

    @Test
    void longTextsAreRefusedBeforeParsing() {
        String digits = "9".repeat(10_000);
        NumberFormatException e = assertThrows(Decimals.OutOfBounds.class, () -> Decimals.parse(digits));
        assertEquals("a decimal number is at most 64 characters long, not 10000", e.getMessage());
        // Even one that is no number at all, which a parser would walk through.
        assertThrows(NumberFormatException.class, () -> Decimals.parse("1".repeat(65) + "x"));
        Decimals.parse("1".repeat(64));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1,000", "abc", "1e", "--1", "NaN", "Infinity"})
    void nonNumbersAreRefusedWithTheirText(String text) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> Decimals.parse(text));
        assertFalse(e instanceof Decimals.OutOfBounds);
        assertEquals("'" + text + "' is not a decimal number", e.getMessage());
        assertThrows(NumberFormatException.class, () -> Decimals.parse(null));
    }

    @Test
    void parsedNumbersAreBounded() {
        assertThrows(NumberFormatException.class, () -> Decimals.bounded(new BigDecimal("1e999999999")));
        assertThrows(NumberFormatException.class,
                () -> Decimals.bounded(new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE)));
        NumberFormatException digits = assertThrows(Decimals.OutOfBounds.class,
                () -> Decimals.bounded(new BigDecimal("7".repeat(10_000))));
        assertEquals("a number has 10000 digits; a decimal number has at most 64", digits.getMessage());
        assertFalse(Decimals.isBounded(new BigDecimal("-1E-999999999")));
        assertTrue(Decimals.isBounded(new BigDecimal("1234.5678")));
        BigDecimal ok = new BigDecimal("1e1000");
        assertEquals(ok, Decimals.bounded(ok));
    }
}
