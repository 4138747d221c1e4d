package org.meshledger.connect.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * A record of any sObject type with the fields a mapping gives it, for camel-salesforce's operations
 * that take sObject DTOs (which are usually generated per org by its Maven plugin; the mappings make
 * that unnecessary here).
 */
public final class MappedSObject extends AbstractDescribedSObjectBase {

    private final Map<String, JsonNode> fields = new LinkedHashMap<>();
    private final String type;

    public MappedSObject(String type, ObjectNode values) {
        this.type = type;
        getAttributes().setType(type);
        values.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    }

    @JsonAnyGetter
    public Map<String, JsonNode> fields() {
        return fields;
    }

    @Override
    public SObjectDescription description() {
        SObjectDescription description = new SObjectDescription();
        description.setName(type);
        return description;
    }
}
