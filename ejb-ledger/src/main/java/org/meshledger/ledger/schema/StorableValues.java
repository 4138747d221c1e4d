package org.meshledger.ledger.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.erdtman.jcs.NumberToJSON;

import org.meshledger.ledger.json.Decimals;
import org.meshledger.ledger.json.Json;

/**
 * What the ledger can store, hash and publish whatever the schema says: no NUL character and no
 * lone surrogate in a text (PostgreSQL's text and jsonb cannot hold them, and a lone surrogate has
 * no UTF-8 form), no control character in a field name, only numbers that canonical JSON (RFC 8785,
 * IEEE 754 doubles) writes back as the same number, a bounded nesting and a bounded size. Checked
 * on every record state at submit and when a block applies it, so a value that gets past one check
 * is still refused, and recorded as a rejection, rather than failing the block.
 */
public final class StorableValues {

    private StorableValues() {
    }

    /** The problems of a record state (or a patch of one), each with its JSON Pointer; none if it is storable. */
    public static List<SchemaViolation> check(JsonNode value, InputLimits limits) {
        List<SchemaViolation> problems = new ArrayList<>();
        walk(value, "", 0, limits, problems);
        if (problems.isEmpty()) {
            int bytes = Json.write(value).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxRecordBytes()) {
                problems.add(new SchemaViolation("", "maxBytes", "a record is at most " + limits.maxRecordBytes()
                        + " bytes as JSON; this one is " + bytes));
            }
        }
        return problems;
    }

    /**
     * Why a text cannot be stored, or null if it can: NUL, a lone surrogate, and, in names and
     * identifiers ({@code strict}), any control character.
     */
    public static String unstorable(String text, boolean strict) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "holds a NUL character (U+0000), which text cannot hold";
            }
            if (strict && (c < 0x20 || c == 0x7f)) {
                return String.format("holds the control character U+%04X", (int) c);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("holds a lone surrogate (U+%04X), which has no UTF-8 form", (int) c);
            }
        }
        return null;
    }

    /**
     * Why a number cannot be hashed as it was sent, or null if it can: canonical JSON writes numbers
     * as IEEE 754 doubles, so one out of their range (1e400) or with more precision than they hold
     * (12345678901234567891) would be hashed as another number.
     */
    public static String inexact(BigDecimal number) {
        double d = number.doubleValue();
        if (Double.isInfinite(d)) {
            return "is out of the range canonical JSON represents (about ±1.8e308)";
        }
        if (new BigDecimal(canonical(d)).compareTo(number) != 0) {
            return "has more precision than canonical JSON represents exactly (IEEE 754 double); "
                    + "send it as a string";
        }
        return null;
    }

    /** The number as the canonicalizer that makes the ledger's hashes writes it. */
    private static String canonical(double d) {
        try {
            return NumberToJSON.serializeNumber(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void walk(JsonNode node, String at, int depth, InputLimits limits, List<SchemaViolation> problems) {
        if (node.isContainerNode()) {
            if (depth >= limits.maxDepth()) {
                problems.add(new SchemaViolation(at, "maxDepth", "objects and arrays nest at most "
                        + limits.maxDepth() + " deep"));
                return;
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String name = field.getKey();
                    String fieldAt = at + "/" + pointerEscaped(name);
                    String bad = unstorable(name, true);
                    if (bad != null) {
                        problems.add(new SchemaViolation(fieldAt, "propertyNames", "the field name " + bad));
                    } else if (name.length() > 200) {
                        problems.add(new SchemaViolation(fieldAt, "propertyNames", "a field name is at most 200 "
                                + "characters"));
                    } else {
                        walk(field.getValue(), fieldAt, depth + 1, limits, problems);
                    }
                }
            } else {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), at + "/" + i, depth + 1, limits, problems);
                }
            }
        } else if (node.isTextual()) {
            String bad = unstorable(node.textValue(), false);
            if (bad != null) {
                problems.add(new SchemaViolation(at, "characters", "the text " + bad));
            }
        } else if (node.isNumber()) {
            // Bounded first: inexact() compares, and a billion-digit exponent must not reach that.
            String bad = Decimals.isBounded(node.decimalValue()) ? inexact(node.decimalValue())
                    : "has more digits or a larger exponent than canonical JSON represents (at most "
                            + Decimals.MAX_DIGITS + " digits, about ±1.8e308)";
            if (bad != null) {
                problems.add(new SchemaViolation(at, "number", "the number " + bad));
            }
        }
    }

    /** A field name as a JSON Pointer step (RFC 6901: ~ as ~0, / as ~1). */
    private static String pointerEscaped(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
