package org.meshledger.web.api;

import java.util.regex.Pattern;

/**
 * A cell of a CSV export as a spreadsheet may open it without running it: a value another party
 * wrote that starts like a formula ({@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage
 * return) is prefixed with a single quote, as OWASP's advice on CSV injection says; a plain number
 * (e.g. {@code -12.50}) is left as it is.
 */
public final class CsvCells {

    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private CsvCells() {
    }

    public static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        char first = value.charAt(0);
        boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t'
                || first == '\r';
        return formula && !NUMBER.matcher(value).matches() ? "'" + value : value;
    }
}
