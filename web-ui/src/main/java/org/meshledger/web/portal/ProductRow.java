package org.meshledger.web.portal;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.meshledger.ledger.products.DataProduct;

/**
 * A data product as the catalog page shows it (Faces EL reads getters, not record components), its
 * figures already in words.
 */
public final class ProductRow implements Serializable {

    private static final long serialVersionUID = 1L;

    /** An output port as a line of the page. */
    public static final class Port implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String text;

        Port(DataProduct.OutputPort port) {
            this.name = port.name();
            this.text = port.kind() + ": " + port.address() + ", " + port.format() + ": " + port.description();
        }

        public String getName() {
            return name;
        }

        public String getText() {
            return text;
        }
    }

    private final String id;
    private final String name;
    private final String owner;
    private final String description;
    private final String schema;
    private final String classification;
    private final String fields;
    private final Object records;
    private final Object freshnessP99;
    private final List<Port> ports;
    private final String objectives;
    private final String freshness;
    private final String timeliness;
    private final String completeness;
    private final String volume;
    private final String derivedFrom;
    private final String references;

    ProductRow(DataProduct product) {
        DataProduct.Measured measured = product.serviceLevels().measured();
        this.id = product.id();
        this.name = product.name();
        this.owner = product.owner().displayName();
        this.description = product.description();
        this.schema = product.schema().id() + ", version " + product.schema().version();
        this.classification = product.classification();
        this.fields = product.fields().stream().map(f -> f.name() + (f.required() ? "*" : "")
                + ("internal".equals(f.classification()) ? "" : " (" + f.classification() + ")"))
                .collect(Collectors.joining(", "));
        this.records = measured.volume().get("records");
        this.freshnessP99 = measured.freshness().get("p99Millis");
        this.ports = product.outputPorts().stream().map(Port::new).toList();
        this.objectives = figures(product.serviceLevels().objectives());
        this.freshness = figures(measured.freshness());
        this.timeliness = figures(measured.timeliness());
        this.completeness = figures(measured.completeness());
        this.volume = figures(measured.volume());
        this.derivedFrom = product.lineage().derivedFrom().isEmpty() ? "none" : String.join(", ", product.lineage().derivedFrom());
        this.references = product.lineage().references().isEmpty() ? "none" : String.join(", ", product.lineage().references());
    }

    private static String figures(Map<String, Object> values) {
        return values == null ? "not shown: your party reads only some of these records"
                : values.entrySet().stream().map(e -> e.getKey() + " " + number(e.getValue()))
                        .collect(Collectors.joining(", "));
    }

    private static Object number(Object value) {
        return value instanceof Double d ? String.format(java.util.Locale.ROOT, "%,.1f", d) : value;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getOwner() {
        return owner;
    }

    public String getDescription() {
        return description;
    }

    public String getSchema() {
        return schema;
    }

    public String getClassification() {
        return classification;
    }

    public String getFields() {
        return fields;
    }

    public Object getRecords() {
        return records;
    }

    public Object getFreshnessP99() {
        return freshnessP99;
    }

    public List<Port> getPorts() {
        return ports;
    }

    public String getObjectives() {
        return objectives;
    }

    public String getFreshness() {
        return freshness;
    }

    public String getTimeliness() {
        return timeliness;
    }

    public String getCompleteness() {
        return completeness;
    }

    public String getVolume() {
        return volume;
    }

    public String getDerivedFrom() {
        return derivedFrom;
    }

    public String getReferences() {
        return references;
    }
}
