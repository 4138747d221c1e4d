package org.meshledger.connect.dynamics;

/**
 * A URL the connector will not send its token to: a link in an answer (or a kept delta link) that
 * leaves the configured environment's Web API (another scheme, host or port, or a path outside the
 * API's root). Nothing was sent there; the page that named it is refused.
 */
final class DataverseUntrustedLinkException extends RuntimeException {

    DataverseUntrustedLinkException(String message) {
        super(message);
    }
}
