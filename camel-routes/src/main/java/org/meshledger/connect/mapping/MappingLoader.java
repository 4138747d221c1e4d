package org.meshledger.connect.mapping;

import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorSettings;
import org.meshledger.ledger.json.Decimals;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.ledger.schema.SharedSchema;

/**
 * Reads a mapping from the connectors file, checked against the shared schema: every ledger field it
 * names exists, the type's key is mapped, and each field converts in a way the schema allows. A
 * field's conversion defaults to what the schema declares ({@code Money} is money, {@code format:
 * date} a date), so a mapping names only what differs.
 */
public final class MappingLoader {

    /** The keys of a mapping this loader reads; any other key is the connector's (e.g. a file layout). */
    private static final Set<String> OWN_KEYS = Set.of("type", "object", "direction", "fields", "defaults",
            "unknownFields", "metadataFields", "onDelete");

    private final SharedSchema schema;
    private final LedgerFields ledgerFields;

    public MappingLoader(SharedSchema schema) {
        this.schema = schema;
        this.ledgerFields = new LedgerFields(schema.document());
    }

    public RecordMapping load(ConnectorSettings mapping) {
        String typeName = mapping.string("type");
        RecordType type = schema.type(typeName).orElseThrow(() -> mapping.error("type", "names '" + typeName
                + "', which is not a type of the network's schema"));
        String object = mapping.string("object");
        String direction = mapping.string("direction", "both");
        boolean[] flow = flow(direction, mapping, "direction");
        JsonNode fieldsJson = mapping.json().get("fields");
        if (fieldsJson == null || !fieldsJson.isObject() || fieldsJson.isEmpty()) {
            throw mapping.error("fields", "is required: an object from ledger field to system field");
        }
        List<FieldMapping> fields = new ArrayList<>();
        FieldMapping key = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = fieldsJson.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            FieldMapping field = field(typeName, entry.getKey(), entry.getValue(), flow,
                    mapping.where("fields." + entry.getKey()));
            fields.add(field);
            if (field.ledgerPath().size() == 1 && field.ledgerPath().get(0).equals(type.keyField())) {
                key = field;
            }
        }
        if (key == null) {
            throw mapping.error("fields", "must map " + typeName + "'s key field '" + type.keyField() + "' (the system "
                    + "field that holds it is the external id)");
        }
        ObjectNode defaults = mapping.json().has("defaults") && mapping.json().get("defaults").isObject()
                ? (ObjectNode) mapping.json().get("defaults") : JsonNodeFactory.instance.objectNode();
        for (Iterator<String> names = defaults.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!type.hasField(name)) {
                throw mapping.error("defaults." + name, "is not a field of " + typeName);
            }
        }
        RecordMapping.UnknownFields unknown = enumValue(RecordMapping.UnknownFields.class,
                mapping.string("unknownFields", "ignore"), mapping, "unknownFields");
        RecordMapping.OnDelete onDelete = enumValue(RecordMapping.OnDelete.class, mapping.string("onDelete", "ignore"),
                mapping, "onDelete");
        ObjectNode extra = mapping.json();
        OWN_KEYS.forEach(extra::remove);
        return new RecordMapping(typeName, object, flow[0], flow[1], key, fields, defaults, unknown,
                new HashSet<>(mapping.strings("metadataFields")), onDelete,
                new ConnectorSettings(extra, mapping.where()));
    }

    private FieldMapping field(String type, String ledgerName, JsonNode spec, boolean[] mappingFlow, String where) {
        List<String> path = Arrays.asList(ledgerName.split("\\."));
        JsonNode schemaField = ledgerFields.field(type, path).orElseThrow(() -> new ConnectorConfigException(where
                + ": '" + ledgerName + "' is not a field of " + type + " in the network's schema"));
        ConnectorSettings settings;
        if (spec.isTextual()) {
            ObjectNode shorthand = JsonNodeFactory.instance.objectNode();
            shorthand.put("system", spec.asText());
            settings = new ConnectorSettings(shorthand, where);
        } else if (spec.isObject()) {
            settings = new ConnectorSettings(spec, where);
        } else {
            throw new ConnectorConfigException(where + " must be a system field name or an object with \"system\"");
        }
        String systemField = settings.string("system");
        FieldKind schemaKind = LedgerFields.kindOf(schemaField);
        FieldKind kind = settings.optional("as").map(as -> FieldKind.of(as).orElseThrow(() -> settings.error("as",
                "must be one of string, integer, decimal, money, date, datetime, boolean"))).orElse(schemaKind);
        String format = settings.optional("format").orElse(null);
        if (format != null) {
            if (kind != FieldKind.DATE && kind != FieldKind.DATETIME) {
                throw settings.error("format", "applies to dates only");
            }
            try {
                DateTimeFormatter.ofPattern(format);
            } catch (IllegalArgumentException e) {
                throw settings.error("format", "is not a date pattern: " + e.getMessage());
            }
        }
        BigDecimal factor = null;
        if (settings.has("factor")) {
            try {
                factor = Decimals.parse(settings.json().get("factor").asText());
            } catch (Decimals.OutOfBounds e) {
                throw settings.error("factor", "must be a number within bounds: " + e.getMessage());
            } catch (NumberFormatException e) {
                throw settings.error("factor", "must be a number");
            }
            if (factor.signum() <= 0) {
                throw settings.error("factor", "must be greater than 0");
            }
        }
        String currency = settings.optional("currency").map(c -> c.toUpperCase(Locale.ROOT)).orElse(null);
        String currencyField = settings.optional("currencyField").orElse(null);
        if (kind == FieldKind.MONEY && currency == null && currencyField == null) {
            throw new ConnectorConfigException(where + " maps money: give its \"currency\" (e.g. USD) or the "
                    + "\"currencyField\" that holds it");
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        JsonNode valuesJson = settings.json().get("values");
        if (valuesJson != null && !valuesJson.isNull()) {
            if (!valuesJson.isObject()) {
                throw settings.error("values", "must be an object from the system's code to the ledger's value");
            }
            valuesJson.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        }
        boolean[] flow = settings.has("direction") ? flow(settings.string("direction"), settings, "direction")
                : mappingFlow;
        String systemType = settings.string("systemType", "string");
        if (!systemType.equals("string") && !systemType.equals("number")) {
            throw settings.error("systemType", "must be string or number (how the system holds a code or text)");
        }
        return new FieldMapping(path, systemField, kind, schemaField.path("type").asText("").equals("number")
                || schemaField.path("type").asText("").equals("integer"), format, factor, currency, currencyField,
                values, flow[0] && mappingFlow[0], flow[1] && mappingFlow[1], settings.json().get("default"),
                systemType.equals("number"));
    }

    private static boolean[] flow(String direction, ConnectorSettings where, String name) {
        return switch (direction) {
            case "inbound" -> new boolean[] {true, false};
            case "outbound" -> new boolean[] {false, true};
            case "both" -> new boolean[] {true, true};
            default -> throw where.error(name, "must be inbound, outbound or both, not '" + direction + "'");
        };
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, ConnectorSettings where, String name) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw where.error(name, "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", not '" + value + "'");
        }
    }
}
