package org.meshledger.connect.webhook;

import org.apache.camel.builder.RouteBuilder;
import org.meshledger.connect.spi.Connector;
import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorContext;
import org.meshledger.connect.spi.ConnectorProvider;

/**
 * The {@code webhook} kind: a party's in-house system posts its changes to
 * {@code POST /api/connectors/{id}/webhook} with its bearer token, in its own field names; the
 * node maps and commits them and answers what became of each. Inbound only.
 */
public final class WebhookProvider implements ConnectorProvider {

    public static final String KIND = "webhook";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Connector create(ConnectorContext context) {
        if (context.writes()) {
            throw new ConnectorConfigException("connector " + context.id() + ": a webhook only receives; its mappings "
                    + "must have direction inbound");
        }
        return () -> new RouteBuilder() {
            @Override
            public void configure() {
                // The REST API hands requests straight to the inbound endpoint; no route of its own.
            }
        };
    }
}
