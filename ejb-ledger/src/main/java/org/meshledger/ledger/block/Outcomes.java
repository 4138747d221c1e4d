package org.meshledger.ledger.block;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.transaction.Rejection;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.ledger.transaction.VersionRef;
import org.meshledger.persistence.ledger.TransactionRow;

/** A recorded transaction's outcome, read back from the ledger. */
public final class Outcomes {

    private Outcomes() {
    }

    public static TransactionOutcome of(TransactionRow row) {
        List<VersionRef> versions = new ArrayList<>();
        for (JsonNode v : Json.parse(row.versions())) {
            versions.add(new VersionRef(v.path("type").asText(), v.path("id").asText(), v.path("version").asInt(),
                    v.path("hash").asText()));
        }
        Rejection rejection = null;
        if ("rejected".equals(row.status())) {
            JsonNode reason = Json.parse(row.content()).path("rejection");
            rejection = new Rejection(RejectionCode.valueOf(row.reasonCode()), row.reason(),
                    reason.path("operation").asInt(), reason.path("rule").textValue());
        }
        return new TransactionOutcome(row.txId(),
                rejection == null ? TransactionStatus.COMMITTED : TransactionStatus.REJECTED, row.blockHeight(),
                row.position(), LedgerHashing.base64(row.hash()), row.recordedAt(), List.copyOf(versions), rejection,
                false);
    }
}
