package org.meshledger.connect.service;

import jakarta.ejb.ApplicationException;

/** The request does not fit the connector's state (not running, not a webhook, a letter not open): 409. */
@ApplicationException
public class ConnectorStateException extends RuntimeException {

    public ConnectorStateException(String message) {
        super(message);
    }
}
