package org.meshledger.persistence.health;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns a database failure into one sentence an operator can act on: what went wrong, and which
 * setting to check. Used at start-up and by the readiness check, so both say the same thing.
 */
public final class DatabaseDiagnosis {

    private DatabaseDiagnosis() {
    }

    public static String describe(Throwable failure) {
        SQLException sql = deepest(failure, SQLException.class);
        String state = sql == null ? null : sql.getSQLState();
        String detail = rootMessage(failure);
        if (state != null && (state.equals("28P01") || state.equals("28000"))) {
            return "the database refused MeshLedger's credentials (" + detail
                    + "); check MESHLEDGER_DB_USER and MESHLEDGER_DB_PASSWORD";
        }
        if ("3D000".equals(state)) {
            return "the database does not exist (" + detail + "); check the database name in MESHLEDGER_DB_URL";
        }
        // 08: connection exceptions; 57P: the server is shutting down or starting up.
        if ((state != null && (state.startsWith("08") || state.startsWith("57P"))) || deepest(failure, ConnectException.class) != null
                || deepest(failure, UnknownHostException.class) != null) {
            return "cannot reach the database (" + detail
                    + "); check that PostgreSQL is running and that MESHLEDGER_DB_URL points at it"
                    + currentUrl();
        }
        return "database error (" + detail + ")";
    }

    private static String currentUrl() {
        String url = System.getenv("MESHLEDGER_DB_URL");
        return url == null ? " (it is not set: the server's default is used)" : " (it is " + url + ")";
    }

    private static <T extends Throwable> T deepest(Throwable failure, Class<T> type) {
        T found = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                found = type.cast(t);
            }
        }
        return found;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.strip();
    }
}
