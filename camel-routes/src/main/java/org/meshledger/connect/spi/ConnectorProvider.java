package org.meshledger.connect.spi;

/**
 * Adds a kind of connector to the node. A module implements it, lists the implementation in
 * {@code META-INF/services/org.meshledger.connect.spi.ConnectorProvider} and is packaged in the EAR;
 * connectors of its kind are then configured in the connectors file, without touching the core.
 */
public interface ConnectorProvider {

    /** The kind the connectors file names, e.g. {@code salesforce}. */
    String kind();

    /**
     * Makes one configured connector of this kind.
     *
     * @throws ConnectorConfigException when its settings are missing or wrong (named in the message)
     */
    Connector create(ConnectorContext context);
}
