package org.meshledger.ledger.block;

import java.util.List;
import java.util.Map;

import org.meshledger.ledger.transaction.PublicTransaction;

/**
 * A transaction as its node hands it to the network: the public part every node applies, and for
 * each node entitled to some of its values, that node's views ({@link VersionView}), which travel
 * sealed to it.
 */
public record SealedTransaction(PublicTransaction publicPart, Map<String, List<VersionView>> views) {

    public SealedTransaction {
        views = Map.copyOf(views);
    }

    public List<VersionView> viewsFor(String node) {
        return views.getOrDefault(node, List.of());
    }
}
