package org.meshledger.connect.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorSettings;

/**
 * Reads the connectors file ({@code MESHLEDGER_CONNECTORS_FILE}): the connectors of the node's parties,
 * their settings and mappings. Secrets stay out of the file: a string may hold {@code ${NAME}} or
 * {@code ${NAME:default}}, replaced from the environment (then system properties) as the file is read.
 */
public final class ConnectorsLoader {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");

    private final UnaryOperator<String> lookup;
    private final Set<String> parties;

    /**
     * @param lookup the value of a placeholder's name, or null if unset
     * @param parties the network's parties
     */
    public ConnectorsLoader(UnaryOperator<String> lookup, Set<String> parties) {
        this.lookup = lookup;
        this.parties = Set.copyOf(parties);
    }

    /** Placeholders from the environment, then system properties. */
    public static UnaryOperator<String> environment() {
        Map<String, String> env = System.getenv();
        return name -> env.containsKey(name) ? env.get(name) : System.getProperty(name);
    }

    public List<ConnectorDefinition> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new ConnectorConfigException("The connectors file " + file + " cannot be read: " + e.getMessage());
        }
    }

    public List<ConnectorDefinition> load(InputStream in, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new ConnectorConfigException("The connectors file " + source + " is not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("connectors").isArray()) {
            throw new ConnectorConfigException("The connectors file " + source + " must be an object with a "
                    + "\"connectors\" list");
        }
        List<ConnectorDefinition> connectors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        ArrayNode list = (ArrayNode) root.path("connectors");
        for (int i = 0; i < list.size(); i++) {
            String where = source + ": connectors[" + i + "]";
            if (!list.get(i).isObject()) {
                throw new ConnectorConfigException(where + " must be an object");
            }
            ObjectNode json = (ObjectNode) list.get(i);
            String id = json.path("id").asText("");
            if (!ID.matcher(id).matches()) {
                throw new ConnectorConfigException(where + ".id must be lower-case letters, digits and '-' (got '"
                        + id + "')");
            }
            if (!ids.add(id)) {
                throw new ConnectorConfigException(where + ": a second connector with the id '" + id + "'");
            }
            connectors.add(connector(resolve(json, "connector " + id), "connector " + id));
        }
        return List.copyOf(connectors);
    }

    private ConnectorDefinition connector(ObjectNode json, String where) {
        ConnectorSettings c = new ConnectorSettings(json, where);
        String id = c.string("id");
        String kind = c.string("kind");
        String party = c.string("party");
        if (!parties.contains(party)) {
            throw c.error("party", "names '" + party + "', which is not a party of the network " + parties);
        }
        ConnectorSettings retry = c.object("retry");
        RetryPolicy policy = new RetryPolicy(retry.integer("maxAttempts", RetryPolicy.DEFAULT.maxAttempts()),
                retry.millis("firstDelayMs", RetryPolicy.DEFAULT.firstDelay()),
                retry.millis("maxDelayMs", RetryPolicy.DEFAULT.maxDelay()));
        if (policy.maxAttempts() < 1 || policy.firstDelay().isNegative() || policy.maxDelay().compareTo(
                policy.firstDelay()) < 0) {
            throw c.error("retry", "needs maxAttempts of at least 1 and 0 <= firstDelayMs <= maxDelayMs");
        }
        int batchSize = c.integer("batchSize", 200);
        if (batchSize < 1 || batchSize > 10_000) {
            throw c.error("batchSize", "must be between 1 and 10000");
        }
        String startAt = c.object("outbound").string("startAt", "beginning");
        if (!startAt.equals("beginning") && !startAt.equals("now")) {
            throw c.object("outbound").error("startAt", "must be beginning or now");
        }
        return new ConnectorDefinition(id, kind, party, c.string("system", kind), c.bool("enabled", true),
                c.object("settings"), c.objects("mappings"), policy, batchSize, startAt.equals("beginning"));
    }

    /** The connector's JSON with every placeholder replaced. */
    private ObjectNode resolve(ObjectNode json, String where) {
        ObjectNode copy = json.deepCopy();
        resolveIn(copy, where);
        return copy;
    }

    private void resolveIn(JsonNode node, String where) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isTextual()) {
                    entry.setValue(TextNode.valueOf(replace(entry.getValue().asText(), where + "." + entry.getKey())));
                } else {
                    resolveIn(entry.getValue(), where + "." + entry.getKey());
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, TextNode.valueOf(replace(array.get(i).asText(), where + "[" + i + "]")));
                } else {
                    resolveIn(array.get(i), where + "[" + i + "]");
                }
            }
        }
    }

    private String replace(String text, String where) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = lookup.apply(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw new ConnectorConfigException(where + " needs " + m.group(1) + " (set it in the environment or "
                        + "the server's system properties)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
