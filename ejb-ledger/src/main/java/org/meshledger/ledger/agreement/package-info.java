/**
 * Step 4 of the write path in a network of nodes, after a block is committed: each node signs a
 * checkpoint of what it committed and compares the others' with its own. Agreement is what the
 * commit levels {@code quorum} and {@code all} wait for; a mismatch is divergence (the minority
 * stops writing), two checkpoints of one node for one height are equivocation, both kept as signed
 * evidence.
 */
package org.meshledger.ledger.agreement;
