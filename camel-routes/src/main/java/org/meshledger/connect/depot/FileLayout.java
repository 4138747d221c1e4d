package org.meshledger.connect.depot;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorSettings;
import org.meshledger.ledger.json.Decimals;

/**
 * How a party's files of one kind are laid out, as its mapping describes them ({@code "file"}): CSV
 * with a header or named columns, or the fixed-width records of legacy systems (columns at positions,
 * padded), so a party moves off file drops without changing its files. Reads a file into the
 * system's fields of each record, and writes records back in the same layout.
 */
final class FileLayout {

    /** A column of a fixed-width record: 1-based start, length, alignment and padding. */
    record Column(String name, int start, int length, boolean right, char pad) {
    }

    /** A record line as read: its fields, or why it could not be read. */
    record Line(int number, String raw, ObjectNode fields, String error) {
    }

    private final boolean fixedWidth;
    private final Pattern pattern;
    private final String name;
    private final Charset charset;
    private final char delimiter;
    private final boolean header;
    private final List<String> csvColumns;
    private final List<Column> columns;
    private final String recordPrefix;
    private final String lineEnding;

    private FileLayout(boolean fixedWidth, Pattern pattern, String name, Charset charset, char delimiter,
            boolean header, List<String> csvColumns, List<Column> columns, String recordPrefix, String lineEnding) {
        this.fixedWidth = fixedWidth;
        this.pattern = pattern;
        this.name = name;
        this.charset = charset;
        this.delimiter = delimiter;
        this.header = header;
        this.csvColumns = csvColumns;
        this.columns = columns;
        this.recordPrefix = recordPrefix;
        this.lineEnding = lineEnding;
    }

    static FileLayout of(ConnectorSettings mapping, String object, List<String> mappedFields) {
        ConnectorSettings file = mapping.object("file");
        String format = file.string("format", "csv");
        Pattern pattern;
        try {
            pattern = Pattern.compile(file.string("pattern", Pattern.quote(object) + ".*"));
        } catch (PatternSyntaxException e) {
            throw file.error("pattern", "is not a regular expression: " + e.getDescription());
        }
        Charset charset;
        try {
            charset = Charset.forName(file.string("charset", "UTF-8"));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw file.error("charset", "names no character set this Java knows");
        }
        String lineEnding = file.string("lineEnding", "\n").replace("\\r", "\r").replace("\\n", "\n");
        String name = file.string("name", object + "-{height}-{hash}." + (format.equals("csv") ? "csv" : "dat"));
        switch (format) {
            case "csv" -> {
                String delimiter = file.string("delimiter", ",");
                if (delimiter.length() != 1) {
                    throw file.error("delimiter", "must be one character");
                }
                boolean header = file.bool("header", true);
                // Without a list, the columns are the mapping's system fields in its order.
                List<String> columns = file.has("columns") ? file.strings("columns") : List.copyOf(mappedFields);
                return new FileLayout(false, pattern, name, charset, delimiter.charAt(0), header, columns, List.of(),
                        null, lineEnding);
            }
            case "fixed-width" -> {
                List<Column> columns = new ArrayList<>();
                for (ConnectorSettings column : file.objects("columns")) {
                    int start = column.integer("start", 0);
                    int length = column.integer("length", 0);
                    if (start < 1 || length < 1) {
                        throw new ConnectorConfigException(column.where() + " needs start (from 1) and length (at least 1)");
                    }
                    String align = column.string("align", "left");
                    if (!align.equals("left") && !align.equals("right")) {
                        throw column.error("align", "must be left or right");
                    }
                    String pad = column.string("pad", " ");
                    if (pad.length() != 1) {
                        throw column.error("pad", "must be one character");
                    }
                    columns.add(new Column(column.string("name"), start, length, align.equals("right"), pad.charAt(0)));
                }
                if (columns.isEmpty()) {
                    throw file.error("columns", "must give the fixed-width columns (name, start, length)");
                }
                String prefix = file.optional("recordPrefix").orElse(null);
                if (prefix != null) {
                    for (Column column : columns) {
                        if (column.start() <= prefix.length()) {
                            throw file.error("columns", "column " + column.name() + " overlaps the record prefix '"
                                    + prefix + "'");
                        }
                    }
                }
                return new FileLayout(true, pattern, name, charset, ',', false, List.of(), List.copyOf(columns), prefix,
                        lineEnding);
            }
            default -> throw file.error("format", "must be csv or fixed-width, not '" + format + "'");
        }
    }

    boolean matches(String fileName) {
        return pattern.matcher(fileName).matches();
    }

    String patternText() {
        return pattern.pattern();
    }

    Charset charset() {
        return charset;
    }

    // ---- reading ----

    List<Line> read(String content) {
        return fixedWidth ? readFixedWidth(content) : readCsv(content);
    }

    private List<Line> readCsv(String content) {
        List<Line> lines = new ArrayList<>();
        CSVFormat.Builder format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(true)
                .setTrim(true);
        if (header) {
            format.setHeader().setSkipHeaderRecord(true);
        } else {
            format.setHeader(csvColumns.toArray(String[]::new));
        }
        try (CSVParser parser = CSVParser.parse(new StringReader(content), format.get())) {
            List<String> names = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                int number = (int) record.getRecordNumber() + (header ? 1 : 0);
                String raw = String.join(String.valueOf(delimiter), record.values());
                if (record.size() != names.size()) {
                    lines.add(new Line(number, raw, null, "line " + number + " has " + record.size() + " values, the "
                            + "header " + names.size()));
                    continue;
                }
                ObjectNode fields = JsonNodeFactory.instance.objectNode();
                for (String column : names) {
                    String value = record.get(column);
                    if (value == null || value.isEmpty()) {
                        fields.putNull(column);
                    } else {
                        fields.put(column, value);
                    }
                }
                lines.add(new Line(number, raw, fields, null));
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            lines.add(new Line(0, content.length() > 200 ? content.substring(0, 200) : content, null,
                    "the file is not CSV as its mapping describes: " + e.getMessage()));
        }
        return lines;
    }

    private List<Line> readFixedWidth(String content) {
        List<Line> lines = new ArrayList<>();
        int width = columns.stream().mapToInt(c -> c.start() - 1 + c.length()).max().orElse(0);
        String[] raw = content.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            int number = i + 1;
            if (line.isBlank() || (recordPrefix != null && !line.startsWith(recordPrefix))) {
                continue; // blank, or a header or trailer record
            }
            if (line.length() < width) {
                // Trailing blanks are often trimmed by the systems that move such files.
                line = line + " ".repeat(width - line.length());
            }
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            for (Column column : columns) {
                String value = unpad(line.substring(column.start() - 1, column.start() - 1 + column.length()), column);
                if (value.isEmpty()) {
                    fields.putNull(column.name());
                } else {
                    fields.put(column.name(), value);
                }
            }
            lines.add(new Line(number, raw[i], fields, null));
        }
        return lines;
    }

    private static String unpad(String value, Column column) {
        String trimmed = value.strip();
        if (column.right() && column.pad() != ' ') {
            int i = 0;
            while (i < trimmed.length() - 1 && trimmed.charAt(i) == column.pad()) {
                i++;
            }
            trimmed = trimmed.substring(i);
        }
        return trimmed;
    }

    // ---- writing ----

    /** The file name of a batch: tokens {object}, {height} (its last block) and {hash} (of its content). */
    String fileName(String object, long height, String content) {
        String hash = java.util.HexFormat.of().formatHex(org.meshledger.ledger.proof.Sha256.hash(
                content.getBytes(charset))).substring(0, 12);
        return name.replace("{object}", object).replace("{height}", Long.toString(height)).replace("{hash}", hash);
    }

    /**
     * One line of a record, or a problem naming the field.
     *
     * @throws IllegalArgumentException when a value does not fit its column
     */
    String line(ObjectNode fields) {
        if (!fixedWidth) {
            StringWriter out = new StringWriter();
            try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setDelimiter(delimiter)
                    .setRecordSeparator("").get())) {
                List<String> values = new ArrayList<>();
                for (String column : outputColumns()) {
                    values.add(text(fields.get(column)));
                }
                printer.printRecord(values);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toString();
        }
        int width = columns.stream().mapToInt(c -> c.start() - 1 + c.length()).max().orElse(0);
        char[] line = " ".repeat(width).toCharArray();
        if (recordPrefix != null) {
            recordPrefix.getChars(0, recordPrefix.length(), line, 0);
        }
        for (Column column : columns) {
            String value = text(fields.get(column.name()));
            if (value.length() > column.length()) {
                throw new IllegalArgumentException("field " + column.name() + ": '" + value + "' is longer than its "
                        + column.length() + " characters");
            }
            String padding = String.valueOf(column.pad()).repeat(column.length() - value.length());
            String cell = column.right() ? padding + value : value + padding;
            cell.getChars(0, cell.length(), line, column.start() - 1);
        }
        return new String(line);
    }

    /** The header line of a CSV file, or null. */
    String headerLine() {
        if (fixedWidth || !header) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setDelimiter(delimiter)
                .setRecordSeparator("").get())) {
            printer.printRecord(outputColumns());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private List<String> outputColumns() {
        return csvColumns;
    }

    String lineEnding() {
        return lineEnding;
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            if (!Decimals.isBounded(number)) {
                // Written out, 1E+999999999 would be a billion digits: leave it in scientific notation.
                return value.asText();
            }
            return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
        }
        return value.asText();
    }
}
