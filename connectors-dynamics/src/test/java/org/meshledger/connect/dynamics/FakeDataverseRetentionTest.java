package org.meshledger.connect.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import org.junit.jupiter.api.Test;

/** The run command's fake keeps a bounded number of rows, so a demo of any size fits in memory. */
class FakeDataverseRetentionTest {

    @Test
    void keepsTheNewestRowsOfEachTable() throws Exception {
        try (FakeDataverse dataverse = FakeDataverse.start(0).table("new_payments", "new_paymentid", "new_meshledgerid")
                .retain(2)) {
            for (String key : List.of("PAY-1", "PAY-2", "PAY-3")) {
                dataverse.userChange("new_payments", key, JsonNodeFactory.instance.objectNode().put("new_amount", 1));
            }
            dataverse.userChange("new_payments", "PAY-2", JsonNodeFactory.instance.objectNode().put("new_amount", 2));
            assertEquals(List.of("PAY-2", "PAY-3"), dataverse.keys("new_payments"));
            assertEquals(2, dataverse.size("new_payments"));
            assertNull(dataverse.record("new_payments", "PAY-1"), "the oldest is forgotten");
            assertEquals(2, dataverse.record("new_payments", "PAY-2").path("new_amount").asInt());
        }
    }
}
