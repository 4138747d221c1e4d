package org.meshledger.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OWASP's CSV injection cases: formulas are quoted, numbers and text are not. */
class CsvCellsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "=HYPERLINK(\"http://x\",\"y\")|'=HYPERLINK(\"http://x\",\"y\")",
        "+1+cmd|' /C calc'!A0|'+1+cmd|' /C calc'!A0",
        "-2+3|'-2+3",
        "@SUM(A1)|'@SUM(A1)",
        "-12.50|-12.50",
        "1944.35|1944.35",
        "-1e5|-1e5",
        "Ada Homeowner|Ada Homeowner",
        "a=b|a=b",
    })
    void quotesWhatASpreadsheetWouldRun(String value, String expected) {
        assertEquals(expected, CsvCells.cell(value));
    }

    @Test
    void quotesLeadingTabsAndCarriageReturns() {
        assertEquals("'\tcmd", CsvCells.cell("\tcmd"));
        assertEquals("'\rcmd", CsvCells.cell("\rcmd"));
        assertEquals("", CsvCells.cell(null));
    }
}
