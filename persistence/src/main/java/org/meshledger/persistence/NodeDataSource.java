package org.meshledger.persistence;

/** The node's one database, configured in the server (see ear/src/main/wildfly/meshledger.cli). */
public final class NodeDataSource {

    /** The datasource's JNDI name, as the provisioned WildFly defines it. */
    public static final String JNDI_NAME = "java:jboss/datasources/MeshLedgerDS";

    private NodeDataSource() {
    }
}
