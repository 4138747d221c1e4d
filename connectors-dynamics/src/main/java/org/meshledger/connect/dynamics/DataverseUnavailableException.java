package org.meshledger.connect.dynamics;

/** Dataverse cannot answer now (5xx, a timeout, the network, throttling past the bound): try again later. */
final class DataverseUnavailableException extends RuntimeException {

    DataverseUnavailableException(String message) {
        super(message);
    }
}
