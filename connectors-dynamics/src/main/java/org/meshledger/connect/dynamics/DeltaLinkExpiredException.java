package org.meshledger.connect.dynamics;

/** A stored delta link the service no longer honours (410 Gone, or its token expired): read everything again. */
final class DeltaLinkExpiredException extends RuntimeException {

    DeltaLinkExpiredException(String message) {
        super(message);
    }
}
