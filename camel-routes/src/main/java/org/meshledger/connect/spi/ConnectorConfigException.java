package org.meshledger.connect.spi;

/** A connector's configuration is missing something or is wrong; the message says what and where. */
public class ConnectorConfigException extends RuntimeException {

    public ConnectorConfigException(String message) {
        super(message);
    }
}
