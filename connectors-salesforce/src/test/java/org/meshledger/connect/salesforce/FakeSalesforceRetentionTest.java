package org.meshledger.connect.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.junit.jupiter.api.Test;

/** The run command's fake keeps a bounded number of records, so a demo of any size fits in memory. */
class FakeSalesforceRetentionTest {

    @Test
    void keepsTheNewestRecordsOfEachObject() throws Exception {
        try (FakeSalesforce salesforce = FakeSalesforce.start(0).object("Payment__c", "MeshLedger_Id__c").retain(2)) {
            for (String id : List.of("PAY-1", "PAY-2", "PAY-3")) {
                salesforce.userChange("Payment__c", id, JsonNodeFactory.instance.objectNode().put("Amount__c", 1));
            }
            salesforce.userChange("Payment__c", "PAY-2", JsonNodeFactory.instance.objectNode().put("Amount__c", 2));
            assertEquals(List.of("PAY-2", "PAY-3"), salesforce.externalIds("Payment__c"));
            assertNull(salesforce.record("Payment__c", "PAY-1"), "the oldest is forgotten");
            assertEquals(2, salesforce.record("Payment__c", "PAY-2").path("Amount__c").asInt());
        }
    }
}
