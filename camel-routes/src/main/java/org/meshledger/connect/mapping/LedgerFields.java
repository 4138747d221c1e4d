package org.meshledger.connect.mapping;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fields of the ledger's record types as the shared schema declares them, so that a mapping can
 * check its ledger paths and convert values without being told what the schema already says
 * (a {@code Money} field is money, a {@code format: date} string a date).
 */
public final class LedgerFields {

    private final JsonNode document;

    /** @param document the shared schema (JSON Schema 2020-12, types under {@code $defs}) */
    public LedgerFields(JsonNode document) {
        this.document = document;
    }

    public boolean hasType(String type) {
        return document.path("$defs").path(type).isObject();
    }

    /** The schema of a field at a dotted path ({@code mailingAddress.city}), $refs followed. */
    public Optional<JsonNode> field(String type, List<String> path) {
        JsonNode node = resolve(document.path("$defs").path(type));
        for (String segment : path) {
            JsonNode property = node.path("properties").path(segment);
            if (!property.isObject()) {
                return Optional.empty();
            }
            node = resolve(property);
        }
        return Optional.of(node);
    }

    /** How the schema's field is best converted, when the mapping does not say. */
    public static FieldKind kindOf(JsonNode field) {
        JsonNode properties = field.path("properties");
        if (properties.has("amount") && properties.has("currency")) {
            return FieldKind.MONEY;
        }
        String type = field.path("type").asText("");
        String format = field.path("format").asText("");
        return switch (type) {
            case "integer" -> FieldKind.INTEGER;
            case "number" -> FieldKind.DECIMAL;
            case "boolean" -> FieldKind.BOOLEAN;
            case "string" -> switch (format) {
                case "date" -> FieldKind.DATE;
                case "date-time" -> FieldKind.DATETIME;
                // The schema's decimal strings (Rate) carry a numeric pattern.
                default -> field.path("pattern").asText("").startsWith("^-?(0|[1-9]") || field.path("pattern")
                        .asText("").startsWith("^(0|[1-9]") ? FieldKind.DECIMAL : FieldKind.STRING;
            };
            default -> FieldKind.STRING;
        };
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; depth < 10 && current.has("$ref"); depth++) {
            String ref = current.path("$ref").asText();
            if (!ref.startsWith("#/")) {
                break;
            }
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            if (!target.isObject()) {
                break;
            }
            current = target;
        }
        return current;
    }
}
