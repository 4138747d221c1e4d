/**
 * Sealed views: part of step 2 (order) across nodes. What a node may read travels sealed to it.
 *
 * <p>Nodes share one Kafka order topic, and nothing readable may travel on it in the clear. Record
 * values and their field salts therefore travel as per-recipient views: inside the signed submission
 * batch a node publishes, one {@linkplain org.meshledger.ledger.views.ViewCipher sealed view} per node
 * entitled to read something of the batch, encrypted with HPKE (RFC 9180) to that node's X25519
 * {@linkplain org.meshledger.ledger.views.NodeEncryptionKey encryption key}. A view is bound to its
 * context (network, batch, recipient: {@link org.meshledger.ledger.views.ViewInfo}) and to the digest of
 * the public part it belongs to, so it cannot be replayed into another batch or to another node.
 *
 * <p>One public-key operation costs a few hundred microseconds (almost all of it X25519), so a node seals
 * one view per recipient per batch, never one per transaction.
 *
 * <p>Cryptography comes from Bouncy Castle's lightweight API ({@code org.bouncycastle.crypto.hpke}); no
 * JCA provider is registered, so nothing global changes in the server. Only this package uses Bouncy
 * Castle; the offline verifier ({@code org.meshledger.ledger.proof}) stays JDK-only.
 */
package org.meshledger.ledger.views;
