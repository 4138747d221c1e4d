package org.meshledger.connect.dynamics;

/** Dataverse refused a request for what it holds (4xx): its status, error code and message. */
final class DataverseRefusedException extends RuntimeException {

    private final int status;
    private final String code;

    DataverseRefusedException(int status, String code, String message) {
        super(status + " " + code + ": " + message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
