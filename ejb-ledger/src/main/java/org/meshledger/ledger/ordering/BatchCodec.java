package org.meshledger.ledger.ordering;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.meshledger.ledger.block.NetworkBlockApplier.OrderedTransaction;
import org.meshledger.ledger.block.SealedTransaction;
import org.meshledger.ledger.block.VersionView;
import org.meshledger.ledger.json.CanonicalJson;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.network.NetworkDefinition;
import org.meshledger.ledger.network.NodeDefinition;
import org.meshledger.ledger.transaction.PublicTransaction;
import org.meshledger.ledger.transaction.PublicTransactions;
import org.meshledger.ledger.views.ViewInfo;
import org.meshledger.ledger.views.ViewSealing;

/**
 * A submission batch's payload on the order topic, written and read: the public parts of its
 * transactions in the clear, and for each node entitled to some of their values one sealed blob of
 * its views ({@link ViewSealing}: one public-key operation per recipient per batch, not per
 * transaction). The payload is canonical JSON (RFC 8785); the views are bound to it by the digest of
 * everything else in it.
 *
 * <p>Reading is strict and the same on every node: a payload that does not parse, names another
 * network or another sender, repeats a transaction id, or carries a transaction of a party its
 * sender does not host, is refused whole ({@link PublicTransactions.MalformedException}). A sealed
 * blob that does not open for this node is not a reason to refuse the batch (only this node could
 * tell): its transactions apply without values here, and the failure is reported.
 */
public final class BatchCodec {

    private static final int FORMAT = 1;
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final NetworkDefinition network;
    private final PublicTransactions transactions;
    private final ViewSealing sealing;

    public BatchCodec(NetworkDefinition network, PublicTransactions transactions, ViewSealing sealing) {
        this.network = network;
        this.transactions = transactions;
        this.sealing = sealing;
    }

    /** The payload of a batch that {@code sender} publishes. */
    public byte[] encode(String sender, UUID batchId, Instant deadline, List<SealedTransaction> batch) {
        ObjectNode payload = publicPayload(sender, batchId, deadline, batch);
        byte[] aad = digest(payload);
        Map<String, ArrayNode> views = new TreeMap<>();
        for (int i = 0; i < batch.size(); i++) {
            for (Map.Entry<String, List<VersionView>> entry : batch.get(i).views().entrySet()) {
                ArrayNode list = views.computeIfAbsent(entry.getKey(), n -> Json.MAPPER.createArrayNode());
                for (VersionView view : entry.getValue()) {
                    list.add(viewJson(i, view));
                }
            }
        }
        ObjectNode sealed = payload.putObject("views");
        for (Map.Entry<String, ArrayNode> entry : views.entrySet()) {
            NodeDefinition recipient = network.node(entry.getKey()).orElseThrow();
            sealed.put(entry.getKey(), B64.encodeToString(sealing.seal(recipient.encryptionKey(),
                    info(batchId, recipient.id()), aad, CanonicalJson.bytes(entry.getValue()))));
        }
        return CanonicalJson.bytes(payload);
    }

    /**
     * Reads a batch that {@code sender} signed, with the views sealed to {@code self} opened.
     *
     * @param unopened told when the views sealed to this node do not open
     * @throws PublicTransactions.MalformedException if the batch is refused (by every node alike)
     */
    public SealedBatch decode(String sender, String self, byte[] bytes, Consumer<String> unopened)
            throws PublicTransactions.MalformedException {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(bytes);
        } catch (Exception e) {
            throw malformed("the payload is not JSON");
        }
        if (payload == null || !payload.isObject() || payload.path("v").asInt() != FORMAT) {
            throw malformed("the payload is not a batch of format " + FORMAT);
        }
        if (!network.id().equals(payload.path("network").asText()) || !sender.equals(payload.path("node").asText())) {
            throw malformed("the batch names another network or another sender");
        }
        NodeDefinition senderNode = network.node(sender).orElseThrow(() -> malformed("the sender is no node"));
        UUID batchId;
        Instant deadline;
        try {
            batchId = UUID.fromString(payload.path("batchId").asText());
            deadline = Instant.parse(payload.path("deadline").asText());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw malformed("batchId or deadline does not read");
        }
        JsonNode list = payload.path("transactions");
        if (!list.isArray() || list.isEmpty() || list.size() > 100_000) {
            throw malformed("a batch holds transactions");
        }
        List<PublicTransaction> publics = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        for (JsonNode tx : list) {
            PublicTransaction parsed = transactions.parse(tx);
            if (!senderNode.hosts(parsed.party())) {
                throw malformed("transaction " + parsed.txId() + " is of party " + parsed.party() + ", which node "
                        + sender + " does not host");
            }
            if (!ids.add(parsed.txId())) {
                throw malformed("transaction " + parsed.txId() + " is in the batch twice");
            }
            publics.add(parsed);
        }
        List<List<VersionView>> views = new ArrayList<>();
        publics.forEach(p -> views.add(new ArrayList<>()));
        JsonNode mine = payload.path("views").path(self);
        if (mine.isTextual()) {
            ObjectNode withoutViews = ((ObjectNode) payload).deepCopy();
            withoutViews.remove("views");
            Optional<byte[]> opened;
            try {
                opened = sealing.open(info(batchId, self), digest(withoutViews), B64D.decode(mine.asText()));
            } catch (IllegalArgumentException e) {
                opened = Optional.empty();
            }
            if (opened.isEmpty()) {
                unopened.accept("the views of batch " + batchId + " from node " + sender + " do not open for node " + self);
            } else {
                readViews(opened.get(), publics, views, unopened);
            }
        }
        List<OrderedTransaction> ordered = new ArrayList<>();
        for (int i = 0; i < publics.size(); i++) {
            ordered.add(new OrderedTransaction(publics.get(i), views.get(i)));
        }
        return new SealedBatch(sender, batchId, deadline, ordered);
    }

    private static void readViews(byte[] plaintext, List<PublicTransaction> publics, List<List<VersionView>> views,
            Consumer<String> problems) {
        try {
            for (JsonNode view : Json.MAPPER.readTree(plaintext)) {
                int tx = view.path("tx").asInt(-1);
                if (tx < 0 || tx >= publics.size() || !view.path("state").isObject()) {
                    problems.accept("a view names no transaction of its batch");
                    continue;
                }
                byte[] versionSalt = view.has("versionSalt") ? B64D.decode(view.path("versionSalt").asText()) : null;
                Map<String, byte[]> fieldSalts = null;
                if (versionSalt == null) {
                    fieldSalts = new TreeMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = view.path("fieldSalts").fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> salt = it.next();
                        fieldSalts.put(salt.getKey(), B64D.decode(salt.getValue().asText()));
                    }
                }
                views.get(tx).add(new VersionView(view.path("type").asText(), view.path("id").asText(),
                        view.path("version").asInt(), (ObjectNode) view.path("state"), versionSalt, fieldSalts));
            }
        } catch (Exception e) {
            problems.accept("the views do not read: " + e.getClass().getSimpleName());
        }
    }

    private ObjectNode publicPayload(String sender, UUID batchId, Instant deadline, List<SealedTransaction> batch) {
        ObjectNode payload = Json.object();
        payload.put("v", FORMAT);
        payload.put("network", network.id());
        payload.put("node", sender);
        payload.put("batchId", batchId.toString());
        payload.put("deadline", deadline.toString());
        ArrayNode list = payload.putArray("transactions");
        batch.forEach(tx -> list.add(PublicTransactions.toJson(tx.publicPart())));
        return payload;
    }

    private static ObjectNode viewJson(int tx, VersionView view) {
        ObjectNode json = Json.object();
        json.put("tx", tx);
        json.put("type", view.type());
        json.put("id", view.id());
        json.put("version", view.version());
        json.set("state", view.state());
        if (view.versionSalt() != null) {
            json.put("versionSalt", B64.encodeToString(view.versionSalt()));
        } else {
            ObjectNode salts = json.putObject("fieldSalts");
            view.fieldSalts().forEach((field, salt) -> salts.put(field, B64.encodeToString(salt)));
        }
        return json;
    }

    private byte[] info(UUID batchId, String recipient) {
        return ViewInfo.of(network.id(), batchId.toString(), recipient);
    }

    private static byte[] digest(JsonNode publicPayload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(CanonicalJson.bytes(publicPayload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PublicTransactions.MalformedException malformed(String message) {
        return new PublicTransactions.MalformedException("A batch is refused: " + message);
    }
}
