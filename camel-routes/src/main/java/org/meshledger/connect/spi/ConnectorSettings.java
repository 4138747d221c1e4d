package org.meshledger.connect.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A connector's settings from the connectors file (placeholders such as {@code ${SF_SECRET}} already
 * replaced from the environment), read with the place named in every error.
 */
public final class ConnectorSettings {

    private final ObjectNode json;
    private final String where;

    /** @param where how errors name this object, e.g. {@code connector servicer-salesforce: settings} */
    public ConnectorSettings(JsonNode json, String where) {
        this.json = json instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode();
        this.where = where;
    }

    public static ConnectorSettings empty(String where) {
        return new ConnectorSettings(null, where);
    }

    public boolean has(String name) {
        return json.hasNonNull(name);
    }

    public String string(String name) {
        return optional(name).orElseThrow(() -> new ConnectorConfigException(where + "." + name
                + " is required (a non-empty string)"));
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public Optional<String> optional(String name) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new ConnectorConfigException(where + "." + name + " must be a non-empty string");
        }
        return Optional.of(value.asText());
    }

    public int integer(String name, int fallback) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.canConvertToInt() && value.isIntegralNumber()) {
            return value.asInt();
        }
        if (value.isTextual()) {
            try {
                return Integer.parseInt(value.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ConnectorConfigException(where + "." + name + " must be a whole number, not " + value);
    }

    public boolean bool(String name, boolean fallback) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw new ConnectorConfigException(where + "." + name + " must be true or false, not " + value);
    }

    /** A duration given in milliseconds. */
    public Duration millis(String name, Duration fallback) {
        return has(name) ? Duration.ofMillis(integer(name, 0)) : fallback;
    }

    /** A nested object (empty if absent). */
    public ConnectorSettings object(String name) {
        JsonNode value = json.get(name);
        if (value != null && !value.isNull() && !value.isObject()) {
            throw new ConnectorConfigException(where + "." + name + " must be an object");
        }
        return new ConnectorSettings(value, where + "." + name);
    }

    /** A list of objects (empty if absent). */
    public List<ConnectorSettings> objects(String name) {
        JsonNode value = json.get(name);
        List<ConnectorSettings> items = new ArrayList<>();
        if (value == null || value.isNull()) {
            return items;
        }
        if (!value.isArray()) {
            throw new ConnectorConfigException(where + "." + name + " must be a list");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw new ConnectorConfigException(where + "." + name + "[" + i + "] must be an object");
            }
            items.add(new ConnectorSettings(value.get(i), where + "." + name + "[" + i + "]"));
        }
        return items;
    }

    /** A list of strings (empty if absent). */
    public List<String> strings(String name) {
        JsonNode value = json.get(name);
        List<String> items = new ArrayList<>();
        if (value == null || value.isNull()) {
            return items;
        }
        if (!value.isArray()) {
            throw new ConnectorConfigException(where + "." + name + " must be a list of strings");
        }
        for (Iterator<JsonNode> it = value.elements(); it.hasNext();) {
            JsonNode item = it.next();
            if (!item.isTextual()) {
                throw new ConnectorConfigException(where + "." + name + " must be a list of strings");
            }
            items.add(item.asText());
        }
        return items;
    }

    /** The settings as JSON (a copy). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** How errors name this object. */
    public String where() {
        return where;
    }

    /** How errors name a setting of this object. */
    public String where(String name) {
        return where + "." + name;
    }

    /** A configuration error at a setting of this object. */
    public ConnectorConfigException error(String name, String problem) {
        return new ConnectorConfigException(where + "." + name + " " + problem);
    }
}
