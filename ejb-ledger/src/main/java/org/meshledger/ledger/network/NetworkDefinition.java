package org.meshledger.ledger.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.schema.SharedSchema;

/**
 * A network: its parties and the schema and access rules they share. Loaded from a definition file
 * ({@link NetworkLoader}), so that a network is configuration, not code.
 */
public final class NetworkDefinition {

    private final String id;
    private final String displayName;
    private final String description;
    private final Map<PartyId, PartyDefinition> parties;
    private final SharedSchema schema;

    public NetworkDefinition(String id, String displayName, String description, List<PartyDefinition> parties,
            SharedSchema schema) {
        this.id = id;
        this.displayName = displayName;
        this.description = description;
        Map<PartyId, PartyDefinition> byId = new LinkedHashMap<>();
        parties.forEach(party -> byId.put(party.id(), party));
        this.parties = Map.copyOf(byId);
        this.schema = schema;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public String description() {
        return description;
    }

    public List<PartyDefinition> parties() {
        return parties.values().stream().sorted((a, b) -> a.id().value().compareTo(b.id().value())).toList();
    }


    public SharedSchema schema() {
        return schema;
    }
}
