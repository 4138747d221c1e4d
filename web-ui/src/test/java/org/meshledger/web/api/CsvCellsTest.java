package org.meshledger.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** OWASP's CSV injection cases: formulas are quoted, numbers and text are not. */
class CsvCellsTest {

    @Test
    void quotesWhatASpreadsheetWouldRun() {
        assertEquals("'=HYPERLINK(\"http://x\",\"y\")", CsvCells.cell("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("'+1+cmd|' /C calc'!A0", CsvCells.cell("+1+cmd|' /C calc'!A0"));
        assertEquals("'-2+3", CsvCells.cell("-2+3"));
        assertEquals("'@SUM(A1)", CsvCells.cell("@SUM(A1)"));
        assertEquals("'\tcmd", CsvCells.cell("\tcmd"));
        assertEquals("'\rcmd", CsvCells.cell("\rcmd"));
    }

    @Test
    void leavesNumbersAndTextAsTheyAre() {
        assertEquals("-12.50", CsvCells.cell("-12.50"));
        assertEquals("1944.35", CsvCells.cell("1944.35"));
        assertEquals("-1e5", CsvCells.cell("-1e5"));
        assertEquals("Ada Homeowner", CsvCells.cell("Ada Homeowner"));
        assertEquals("a=b", CsvCells.cell("a=b"));
        assertEquals("", CsvCells.cell(null));
    }
}
