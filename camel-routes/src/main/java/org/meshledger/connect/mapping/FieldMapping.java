package org.meshledger.connect.mapping;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.json.Decimals;

/**
 * One field between a system and the ledger: its names on both sides, how its value converts (kind,
 * date format, unit factor, currency) and the system's codes for the ledger's values.
 *
 * @param ledgerPath the ledger field, as path segments ({@code mailingAddress}, {@code city})
 * @param ledgerNumber whether the ledger holds a JSON number (else decimals are strings, as {@code Rate})
 * @param format the system's date pattern, or null for ISO 8601
 * @param factor system value = ledger value × factor (100 for cents), or null
 * @param currency the one currency the system field holds, or null
 * @param currencyField the system field that holds the currency, or null
 * @param values the system's codes and the ledger value each stands for, or empty
 * @param fallback the ledger value a new record takes when the system has none, or null
 * @param systemNumber whether the system holds a code or text as a number (a Dataverse option set)
 */
public record FieldMapping(List<String> ledgerPath, String systemField, FieldKind kind, boolean ledgerNumber,
        String format, BigDecimal factor, String currency, String currencyField, Map<String, JsonNode> values,
        boolean inbound, boolean outbound, JsonNode fallback, boolean systemNumber) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    public FieldMapping {
        ledgerPath = List.copyOf(ledgerPath);
        values = Map.copyOf(values);
    }

    public String ledgerName() {
        return String.join(".", ledgerPath);
    }

    // ---- system -> ledger ----

    /**
     * The ledger value of a system value (neither null nor missing).
     *
     * @param record the whole system record (for a currency field)
     */
    public JsonNode toLedger(JsonNode value, JsonNode record, String describe) {
        if (!values.isEmpty()) {
            JsonNode mapped = values.get(value.asText());
            if (mapped == null) {
                throw new MappingException(describe, systemField, "'" + value.asText() + "' has no ledger value in the "
                        + "mapping (known: " + String.join(", ", new java.util.TreeSet<>(values.keySet())) + ")");
            }
            return mapped;
        }
        return switch (kind) {
            case STRING -> NODES.textNode(value.asText());
            case INTEGER -> {
                BigDecimal number = unscaled(decimal(value, describe, systemField), describe);
                try {
                    java.math.BigInteger whole = number.toBigIntegerExact();
                    yield whole.bitLength() < 32 ? NODES.numberNode(whole.intValue()) : NODES.numberNode(whole);
                } catch (ArithmeticException e) {
                    throw new MappingException(describe, systemField, "'" + value.asText() + "' is not a whole number");
                }
            }
            case DECIMAL -> {
                BigDecimal number = unscaled(decimal(value, describe, systemField), describe);
                yield ledgerNumber ? NODES.numberNode(number) : NODES.textNode(plain(number));
            }
            case MONEY -> money(value, record, describe);
            case DATE -> NODES.textNode(date(value, describe).toString());
            case DATETIME -> NODES.textNode(dateTime(value, describe).toString());
            case BOOLEAN -> {
                if (value.isBoolean()) {
                    yield value;
                }
                String text = value.asText();
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    yield NODES.booleanNode(Boolean.parseBoolean(text));
                }
                throw new MappingException(describe, systemField, "'" + text + "' is not true or false (map the "
                        + "system's codes with \"values\")");
            }
        };
    }

    private JsonNode money(JsonNode value, JsonNode record, String describe) {
        BigDecimal amount = unscaled(decimal(value, describe, systemField), describe);
        String code = currency;
        if (currencyField != null) {
            JsonNode given = record.get(currencyField);
            if (given == null || given.isNull() || given.asText().isBlank()) {
                if (code == null) {
                    throw new MappingException(describe, currencyField, "the currency of " + systemField + " is missing");
                }
            } else {
                code = given.asText();
            }
        }
        ObjectNode money = NODES.objectNode();
        money.put("amount", plain(amount.scale() < 2 ? amount.setScale(2) : amount));
        money.put("currency", code);
        return money;
    }

    private BigDecimal unscaled(BigDecimal systemValue, String describe) {
        if (factor == null) {
            return systemValue;
        }
        try {
            return systemValue.divide(factor).stripTrailingZeros();
        } catch (ArithmeticException e) {
            return systemValue.divide(factor, 10, RoundingMode.HALF_EVEN).stripTrailingZeros();
        }
    }

    private static BigDecimal decimal(JsonNode value, String describe, String field) {
        try {
            if (value.isNumber()) {
                return Decimals.bounded(value.decimalValue());
            }
        } catch (NumberFormatException e) {
            throw new MappingException(describe, field, e.getMessage());
        }
        String text = value.asText().trim();
        try {
            return Decimals.parse(text);
        } catch (Decimals.OutOfBounds e) {
            throw new MappingException(describe, field, e.getMessage());
        } catch (NumberFormatException e) {
            throw new MappingException(describe, field, "'" + text + "' is not a number");
        }
    }

    private LocalDate date(JsonNode value, String describe) {
        String text = value.asText().trim();
        try {
            if (format != null) {
                return LocalDate.parse(text, strict(format));
            }
            if (text.length() > 10 && text.charAt(10) == 'T') {
                // A date-only field that the system sends as midnight UTC (Dataverse does).
                return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new MappingException(describe, systemField, "'" + text + "' is not a date in the format "
                    + (format == null ? "yyyy-MM-dd" : format));
        }
    }

    private Instant dateTime(JsonNode value, String describe) {
        String text = value.asText().trim();
        try {
            if (format != null) {
                return java.time.LocalDateTime.parse(text, strict(format)).toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new MappingException(describe, systemField, "'" + text + "' is not a date and time in the format "
                    + (format == null ? "ISO 8601 (2026-11-01T09:30:00Z)" : format));
        }
    }

    /** A pattern read strictly: 31/02 is no date (the default resolver would make it 28/02). */
    private static DateTimeFormatter strict(String pattern) {
        return new java.time.format.DateTimeFormatterBuilder().appendPattern(pattern)
                .parseDefaulting(java.time.temporal.ChronoField.ERA, 1).toFormatter()
                .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    }

    /** Whether a ledger value the record holds equals a mapped one (decimals compared as numbers). */
    public boolean sameLedgerValue(JsonNode held, JsonNode mapped) {
        if (held == null || held.isNull() || mapped == null || mapped.isNull()) {
            return (held == null || held.isNull()) == (mapped == null || mapped.isNull());
        }
        if (kind == FieldKind.DECIMAL || kind == FieldKind.INTEGER) {
            return sameNumber(held, mapped);
        }
        if (kind == FieldKind.MONEY) {
            return sameNumber(held.path("amount"), mapped.path("amount"))
                    && held.path("currency").asText().equals(mapped.path("currency").asText());
        }
        return held.equals(mapped);
    }

    private static boolean sameNumber(JsonNode a, JsonNode b) {
        try {
            return Decimals.parse(a.asText()).compareTo(Decimals.parse(b.asText())) == 0;
        } catch (NumberFormatException e) {
            return a.equals(b);
        }
    }

    // ---- ledger -> system ----

    /** Writes the system's form of a ledger value (neither null nor missing) into {@code target}. */
    public void toSystem(JsonNode value, ObjectNode target, String describe) {
        if (!values.isEmpty()) {
            String code = values.entrySet().stream().filter(e -> sameLedgerValue(e.getValue(), value))
                    .map(Map.Entry::getKey).sorted().findFirst()
                    .orElseThrow(() -> new MappingException(describe, ledgerName(), "'" + value.asText()
                            + "' has no system value in the mapping to " + systemField));
            putText(target, code, describe);
            return;
        }
        switch (kind) {
            case STRING -> putText(target, value.asText(), describe);
            case INTEGER -> target.set(systemField, NODES.numberNode(scaled(decimal(value, describe, ledgerName()))
                    .toBigInteger()));
            case DECIMAL -> target.set(systemField, NODES.numberNode(scaled(decimal(value, describe, ledgerName()))));
            case MONEY -> {
                String code = value.path("currency").asText();
                if (currency != null && currencyField == null && !currency.equals(code)) {
                    throw new MappingException(describe, ledgerName(), "an amount in " + code + " cannot be written to "
                            + systemField + ", which holds " + currency + " only");
                }
                target.set(systemField, NODES.numberNode(scaled(decimal(value.path("amount"), describe, ledgerName()))));
                if (currencyField != null) {
                    target.put(currencyField, code);
                }
            }
            case DATE -> {
                LocalDate date;
                try {
                    date = LocalDate.parse(value.asText());
                } catch (DateTimeParseException e) {
                    throw new MappingException(describe, ledgerName(), "'" + value.asText() + "' is not a date");
                }
                target.put(systemField, format == null ? date.toString() : date.format(DateTimeFormatter.ofPattern(format)));
            }
            case DATETIME -> {
                Instant instant;
                try {
                    instant = OffsetDateTime.parse(value.asText()).toInstant();
                } catch (DateTimeParseException e) {
                    throw new MappingException(describe, ledgerName(), "'" + value.asText() + "' is not a date and time");
                }
                target.put(systemField, format == null ? instant.toString()
                        : DateTimeFormatter.ofPattern(format).withZone(ZoneOffset.UTC).format(instant));
            }
            case BOOLEAN -> target.put(systemField, value.asBoolean());
        }
    }

    /** A code or text, as a number where the system holds one. */
    private void putText(ObjectNode target, String text, String describe) {
        if (!systemNumber) {
            target.put(systemField, text);
            return;
        }
        try {
            target.set(systemField, NODES.numberNode(Decimals.parse(text)));
        } catch (Decimals.OutOfBounds e) {
            throw new MappingException(describe, ledgerName(), e.getMessage());
        } catch (NumberFormatException e) {
            throw new MappingException(describe, ledgerName(), "'" + text + "' is no number for " + systemField);
        }
    }

    private BigDecimal scaled(BigDecimal ledgerValue) {
        return factor == null ? ledgerValue : ledgerValue.multiply(factor).stripTrailingZeros();
    }

    private static String plain(BigDecimal number) {
        return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
    }

    /** The system fields this mapping reads or writes. */
    public List<String> systemFields() {
        return currencyField == null ? List.of(systemField) : List.of(systemField, currencyField);
    }
}
