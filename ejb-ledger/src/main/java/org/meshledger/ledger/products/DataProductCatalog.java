package org.meshledger.ledger.products;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.events.EventSettings;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.PartyDefinition;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.schema.Classification;
import org.meshledger.ledger.schema.FieldRule;
import org.meshledger.ledger.schema.RecordType;
import org.meshledger.persistence.ledger.DataProductStore;
import org.meshledger.persistence.ledger.OutboxStore;

/**
 * The data products of the network as one party sees them: each record type per owning party (the
 * parties that own records of it, or, before any exist, the type's administrators), described with
 * the fields the party reads, its output ports (REST current and as-of snapshots, the party's Kafka
 * topic, CSV/JSON export), service levels with measured values, and lineage. A party sees only
 * products of types it reads; volume counts what it reads; quality figures over all of a product's
 * records are shown only to parties that read every record of the type (an aggregate over records a
 * party may not see would tell it something of them).
 */
public final class DataProductCatalog {

    /** What every product promises (docs/data-products.md). */
    static final Map<String, Object> OBJECTIVES = new java.util.TreeMap<>(Map.of("freshnessP99Millis", 1000,
            "completenessPercent", 100));
    private static final int TIMELINESS_SAMPLE = 10_000;
    private static final Duration FRESHNESS_WINDOW = Duration.ofHours(1);

    private final NetworkDefinition network;
    private final AccessPolicy policy;
    private final RecordReader reader;
    private final DataProductStore store;
    private final OutboxStore outbox;
    private final EventSettings events;
    private final Clock clock;

    public DataProductCatalog(NetworkDefinition network, AccessPolicy policy, RecordReader reader, DataProductStore store,
            OutboxStore outbox, EventSettings events, Clock clock) {
        this.network = network;
        this.policy = policy;
        this.reader = reader;
        this.store = store;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    public List<DataProduct> search(MeshPrincipal asker, DataProductSearch search) throws SQLException {
        Map<String, Set<String>> owners = owners();
        Map<String, Object> freshness = freshness();
        List<DataProduct> products = new ArrayList<>();
        for (RecordType type : network.schema().types()) {
            if (!policy.canRead(asker.party(), type)) {
                continue;
            }
            List<DataProduct.Field> fields = fields(asker.party(), type, required(type));
            Map<String, Long> volume = null;
            for (String owner : owners.getOrDefault(type.name(), Set.of())) {
                // Matched on what costs nothing to know; only a match is measured.
                if (search.matches(name(type, owner), type.name(), owner, fields)) {
                    volume = volume == null ? reader.countByOwner(asker, type.name()) : volume;
                    products.add(describe(asker, type, owner, owners, volume, freshness));
                }
            }
        }
        return products;
    }

    /** @throws NotFoundException when there is no such product, or the asker reads nothing of it */
    public DataProduct get(MeshPrincipal asker, String owner, String typeName) throws SQLException {
        RecordType type = network.schema().type(typeName)
                .filter(t -> policy.canRead(asker.party(), t))
                .orElseThrow(() -> new NotFoundException("No data product " + owner + "/" + typeName));
        Map<String, Set<String>> owners = owners();
        if (!owners.getOrDefault(typeName, Set.of()).contains(owner)) {
            throw new NotFoundException("No data product " + owner + "/" + typeName);
        }
        return describe(asker, type, owner, owners, reader.countByOwner(asker, typeName), freshness());
    }

    public String id(String owner, String type) {
        return network.id() + "." + owner + "." + type;
    }

    /** The owners of each type's records; a type without records is its administrators' product. */
    private Map<String, Set<String>> owners() throws SQLException {
        Map<String, Set<String>> owners = new LinkedHashMap<>();
        for (DataProductStore.TypeOwner pair : store.owners()) {
            owners.computeIfAbsent(pair.type(), t -> new TreeSet<>()).add(pair.owner());
        }
        for (RecordType type : network.schema().types()) {
            if (!owners.containsKey(type.name()) && type.access().admin() != null) {
                Set<String> admins = new TreeSet<>();
                type.access().admin().forEach(p -> admins.add(p.value()));
                owners.put(type.name(), admins);
            }
        }
        return owners;
    }

    private DataProduct describe(MeshPrincipal asker, RecordType type, String owner, Map<String, Set<String>> owners,
            Map<String, Long> volume, Map<String, Object> freshness) throws SQLException {
        List<String> required = required(type);
        List<DataProduct.Field> fields = fields(asker.party(), type, required);
        String base = "/api/data-products/" + owner + "/" + type.name();
        boolean seesAll = policy.seesEveryRecord(asker, type);
        DataProduct.Measured measured = new DataProduct.Measured(freshness,
                seesAll ? timeliness(type, owner) : null,
                seesAll ? completeness(type, owner, required) : null,
                volume(type, owner, volume, seesAll));
        return new DataProduct(id(owner, type.name()), base, name(type, owner), type.name(),
                new DataProduct.Owner(owner, displayName(owner)), type.description(),
                new DataProduct.Schema(network.schema().id() + "#/$defs/" + type.name(), network.schema().version(),
                        "/api/network"),
                highest(fields), fields, ports(asker.party(), type, owner, base),
                new DataProduct.ServiceLevels(OBJECTIVES, measured),
                new DataProduct.Lineage(products(type.derivedFrom(), owners), products(type.references(), owners)));
    }

    private String name(RecordType type, String owner) {
        return type.name() + " of " + displayName(owner);
    }

    private static List<String> required(RecordType type) {
        List<String> required = new ArrayList<>();
        type.jsonSchema().path("required").forEach(r -> required.add(r.asText()));
        return required;
    }

    private List<DataProduct.Field> fields(PartyId party, RecordType type, List<String> required) {
        List<DataProduct.Field> fields = new ArrayList<>();
        for (Iterator<String> names = type.jsonSchema().path("properties").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!policy.canReadField(party, type, name)) {
                continue;
            }
            FieldRule rule = type.field(name);
            Classification classification = rule == null || rule.classification() == null ? Classification.INTERNAL
                    : rule.classification();
            fields.add(new DataProduct.Field(name, classification.keyword(), required.contains(name),
                    rule == null ? null : rule.references()));
        }
        return fields;
    }

    private static String highest(List<DataProduct.Field> fields) {
        return fields.stream().map(f -> Classification.of(f.classification()).orElse(Classification.INTERNAL))
                .max(Enum::compareTo).orElse(Classification.INTERNAL).keyword();
    }

    private List<DataProduct.OutputPort> ports(PartyId party, RecordType type, String owner, String base) {
        String records = "/api/records/" + type.name();
        List<DataProduct.OutputPort> ports = new ArrayList<>();
        ports.add(new DataProduct.OutputPort("current", "rest", records, "application/json",
                "the records as they are now, paged; filter and sort on " + type.indexes()));
        ports.add(new DataProduct.OutputPort("snapshot", "rest", records + "?asOfHeight={height}", "application/json",
                "the records as of a block (or asOfTime, validAt): a snapshot to replay the topic from"));
        ports.add(new DataProduct.OutputPort("events", "kafka", events.recordsTopic(party),
                "CloudEvents 1.0, Kafka binary mode, key " + type.name() + "/<id>",
                "every committed version you read, as you read it; this product's events have subject "
                        + type.name() + "/<id> and owner " + owner + (events.enabled() ? "" : " (Kafka not configured)")));
        ports.add(new DataProduct.OutputPort("export-csv", "export", base + "/export?format=csv", "text/csv",
                "the product's current records, one row each, the fields you read"));
        ports.add(new DataProduct.OutputPort("export-json", "export", base + "/export?format=json",
                "application/x-ndjson", "the product's current records, one JSON object a line"));
        return ports;
    }

    private Map<String, Object> freshness() throws SQLException {
        OutboxStore.Freshness measured = outbox.freshness(clock.instant().minus(FRESHNESS_WINDOW));
        OutboxStore.Backlog backlog = outbox.backlog();
        Map<String, Object> freshness = new LinkedHashMap<>();
        freshness.put("window", FRESHNESS_WINDOW.toString());
        freshness.put("blocksPublished", measured.blocks());
        freshness.put("p50Millis", round(measured.p50Millis()));
        freshness.put("p99Millis", round(measured.p99Millis()));
        freshness.put("backlogBlocks", backlog.blocks());
        freshness.put("backlogSeconds", backlog.age(clock.instant()).toSeconds());
        return freshness;
    }

    private Map<String, Object> timeliness(RecordType type, String owner) throws SQLException {
        DataProductStore.Timeliness measured = store.timeliness(type.name(), owner, TIMELINESS_SAMPLE);
        Map<String, Object> timeliness = new LinkedHashMap<>();
        timeliness.put("versions", measured.versions());
        timeliness.put("p50Millis", round(measured.p50Millis()));
        timeliness.put("p99Millis", round(measured.p99Millis()));
        return timeliness;
    }

    private Map<String, Object> completeness(RecordType type, String owner, List<String> required) throws SQLException {
        DataProductStore.Completeness measured = store.completeness(type.name(), owner, required);
        Map<String, Object> completeness = new LinkedHashMap<>();
        completeness.put("records", measured.records());
        completeness.put("complete", measured.complete());
        completeness.put("percent", round(measured.percent()));
        return completeness;
    }

    private Map<String, Object> volume(RecordType type, String owner, Map<String, Long> readable, boolean seesAll)
            throws SQLException {
        Map<String, Object> volume = new LinkedHashMap<>();
        volume.put("records", readable.getOrDefault(owner, 0L));
        if (seesAll) {
            volume.put("versionsLast24h", store.versionsSince(type.name(), owner, clock.instant().minus(Duration.ofDays(1))));
        }
        return volume;
    }

    private List<String> products(Iterable<String> types, Map<String, Set<String>> owners) {
        List<String> ids = new ArrayList<>();
        for (String type : types) {
            owners.getOrDefault(type, Set.of()).forEach(owner -> ids.add(id(owner, type)));
        }
        return ids;
    }

    private String displayName(String party) {
        return network.parties().stream().filter(p -> p.id().value().equals(party)).map(PartyDefinition::displayName)
                .findFirst().orElse(party);
    }

    private static double round(double value) {
        return Double.isNaN(value) ? 0 : Math.round(value * 10) / 10.0;
    }
}
