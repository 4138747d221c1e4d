package org.meshledger.connect.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.meshledger.connect.spi.ConnectorConfigException;

class ConnectorsLoaderTest {

    private static List<ConnectorDefinition> load(String json, Map<String, String> env) {
        return new ConnectorsLoader(env::get, Set.of("servicer", "loan-owner"))
                .load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "connectors.json");
    }

    @Test
    void secretsComeFromTheEnvironmentAndDefaultsFillTheRest() {
        ConnectorDefinition c = load("""
                {"connectors": [{"id": "servicer-crm", "kind": "salesforce", "party": "servicer",
                  "settings": {"clientSecret": "${SF_SECRET}", "loginUrl": "${SF_URL:https://login.salesforce.com}/x"},
                  "retry": {"maxAttempts": 4}, "enabled": false,
                  "mappings": [{"type": "Loan", "object": "Loan__c", "fields": {"loanNumber": "Name"}}]}]}""",
                Map.of("SF_SECRET", "s3cr$t")).get(0);
        assertEquals("s3cr$t", c.settings().string("clientSecret"));
        assertEquals("https://login.salesforce.com/x", c.settings().string("loginUrl"));
        assertEquals("salesforce", c.system());
        assertEquals(4, c.retry().maxAttempts());
        assertEquals(Duration.ofMillis(500), c.retry().firstDelay());
        assertEquals(200, c.batchSize());
        assertFalse(c.enabled());
        assertEquals(1, c.mappings().size());
    }

    @Test
    void mistakesAreNamedWithWhereTheyAre() {
        assertEquals("connector a.settings.clientSecret needs SF_SECRET (set it in the environment or the server's "
                + "system properties)", assertThrows(ConnectorConfigException.class, () -> load("""
                        {"connectors": [{"id": "a", "kind": "k", "party": "servicer",
                          "settings": {"clientSecret": "${SF_SECRET}"}}]}""", Map.of())).getMessage());
        assertEquals("connector a.party names 'bank', which is not a party of the network [loan-owner, servicer]",
                assertThrows(ConnectorConfigException.class, () -> load("""
                        {"connectors": [{"id": "a", "kind": "k", "party": "bank"}]}""", Map.of())).getMessage()
                        .replace("[servicer, loan-owner]", "[loan-owner, servicer]"));
        assertEquals("connectors.json: connectors[1]: a second connector with the id 'a'",
                assertThrows(ConnectorConfigException.class, () -> load("""
                        {"connectors": [{"id": "a", "kind": "k", "party": "servicer"},
                                        {"id": "a", "kind": "k", "party": "servicer"}]}""", Map.of())).getMessage());
        assertEquals("connectors.json: connectors[0].id must be lower-case letters, digits and '-' (got 'Servicer CRM')",
                assertThrows(ConnectorConfigException.class, () -> load("""
                        {"connectors": [{"id": "Servicer CRM", "kind": "k", "party": "servicer"}]}""", Map.of()))
                        .getMessage());
        assertEquals("The connectors file connectors.json must be an object with a \"connectors\" list",
                assertThrows(ConnectorConfigException.class, () -> load("[]", Map.of())).getMessage());
    }
}
