package org.meshledger.ledger.products;

import java.util.List;
import java.util.Map;

/**
 * A data product's descriptor: the records of one type owned by one party, as the asking party may
 * read them, with where to get them, what they promise and what was measured.
 *
 * @param id the permanent address: {@code <network>.<owner>.<Type>}
 * @param classification the most sensitive classification among the fields the asker reads
 */
public record DataProduct(String id, String address, String name, String type, Owner owner, String description,
        Schema schema, String classification, List<Field> fields, List<OutputPort> outputPorts,
        ServiceLevels serviceLevels, Lineage lineage) {

    public record Owner(String party, String displayName) {
    }

    /** @param id the type's JSON Schema ({@code $id#/$defs/Type}) */
    public record Schema(String id, String version, String document) {
    }

    /** A field the asker reads. */
    public record Field(String name, String classification, boolean required, String references) {
    }

    /** @param kind rest, kafka or export */
    public record OutputPort(String name, String kind, String address, String format, String description) {
    }

    public record ServiceLevels(Map<String, Object> objectives, Measured measured) {
    }

    /**
     * @param freshness commit → event published, over the node's blocks of the last hour
     * @param timeliness valid time → recorded time, over the last versions (null when the asker does
     *        not read every record of the type)
     * @param completeness records with every required field (null likewise)
     * @param volume records the asker reads, and versions of the last 24 hours (null likewise)
     */
    public record Measured(Map<String, Object> freshness, Map<String, Object> timeliness,
            Map<String, Object> completeness, Map<String, Object> volume) {
    }

    /** @param derivedFrom data products this one is derived from; @param references those its records refer to */
    public record Lineage(List<String> derivedFrom, List<String> references) {
    }
}
