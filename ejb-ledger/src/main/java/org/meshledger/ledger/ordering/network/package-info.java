/**
 * Step 2 of the write path in a network of nodes, tying steps 1 to 4 together on one node: its
 * submissions sealed and published in batches to the network's order log, every block the log cuts
 * applied (step 3) with this node's views, and its checkpoint published (step 4).
 */
package org.meshledger.ledger.ordering.network;
