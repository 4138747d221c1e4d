package org.meshledger.persistence.migration;

/** The application was packaged without its database migrations. */
public class NoMigrationsFoundException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public NoMigrationsFoundException(String location) {
        super("No database migration was found in " + location
                + ": the deployment is incomplete, refusing to start on a database without a schema");
    }
}
