package org.meshledger.ledger.ordering.kafka;

/**
 * Kafka did not do what the order log asked within its bound (it is down, unreachable, or refused
 * the node): a write's outcome is then unknown (the message may still be appended; publishing the
 * same batch again is safe, a repeated batch is taken once). Callers answer 503 and may retry. Its
 * message says what failed; the cause is Kafka's.
 */
public class OrderLogUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OrderLogUnavailableException(String message) {
        super(message);
    }

    public OrderLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
