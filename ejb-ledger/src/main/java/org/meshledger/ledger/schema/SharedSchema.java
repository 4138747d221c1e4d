package org.meshledger.ledger.schema;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The data model the parties of a network share: its record types, each a JSON Schema (2020-12)
 * with MeshLedger's {@code x-} extensions (see docs/schema.md).
 */
public final class SharedSchema {

    private final String id;
    private final String version;
    private final Map<String, RecordType> types;
    private final JsonNode document;
    private final Map<String, RetentionEvent> events;
    private final InputLimits limits;

    public SharedSchema(String id, String version, Map<String, RecordType> types, JsonNode document,
            Map<String, RetentionEvent> events, InputLimits limits) {
        this.limits = limits;
        this.id = id;
        this.version = version;
        this.types = Map.copyOf(types);
        this.document = document;
        this.events = Map.copyOf(events);
    }

    /** What every value submitted under this schema must stay within. */
    public InputLimits limits() {
        return limits;
    }

    /** An event of {@code x-events}, by name. */
    public Optional<RetentionEvent> event(String name) {
        return Optional.ofNullable(events.get(name));
    }

    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    public Optional<RecordType> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Collection<RecordType> types() {
        return types.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** The schema document as the network file gives it. */
    public JsonNode document() {
        return document;
    }
}
