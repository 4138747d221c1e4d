package org.meshledger.connect.depot;

import org.meshledger.connect.spi.ConnectorConfigException;
import org.meshledger.connect.spi.ConnectorSettings;

/**
 * Where a party drops or picks up its files: a local directory or a directory on an SFTP server, as
 * the Camel endpoint that reads or writes there.
 */
final class DepotLocation {

    private final String base;
    private final String where;

    private DepotLocation(String base, String where) {
        this.base = base;
        this.where = where;
    }

    /** {@code {"directory": "/srv/depot/in"}} or {@code {"sftp": {"host", "port", "username", "password", "directory"}}}. */
    static DepotLocation of(ConnectorSettings settings) {
        if (settings.has("directory") == settings.has("sftp")) {
            throw new ConnectorConfigException(settings.where() + " needs either \"directory\" (a local directory) or "
                    + "\"sftp\" (host, port, username, password, directory)");
        }
        if (settings.has("directory")) {
            String directory = settings.string("directory");
            return new DepotLocation("file:" + directory + "?", settings.where() + ".directory " + directory);
        }
        ConnectorSettings sftp = settings.object("sftp");
        String host = sftp.string("host");
        int port = sftp.integer("port", 22);
        String directory = sftp.string("directory", "");
        StringBuilder uri = new StringBuilder("sftp://").append(host).append(':').append(port).append('/')
                .append(directory.startsWith("/") ? directory.substring(1) : directory).append('?')
                .append("username=RAW(").append(sftp.string("username")).append(')');
        sftp.optional("password").ifPresent(p -> uri.append("&password=RAW(").append(p).append(')'));
        sftp.optional("privateKeyFile").ifPresent(k -> uri.append("&privateKeyFile=RAW(").append(k).append(')'));
        if (sftp.has("knownHostsFile")) {
            uri.append("&knownHostsFile=RAW(").append(sftp.string("knownHostsFile")).append(")&strictHostKeyChecking=yes");
        } else if (!sftp.bool("strictHostKeyChecking", true)) {
            uri.append("&strictHostKeyChecking=no&useUserKnownHostsFile=false");
        }
        uri.append("&binary=true&passiveMode=false&connectTimeout=10000&timeout=30000&");
        return new DepotLocation(uri.toString(), settings.where() + ".sftp " + host + ":" + port + "/" + directory);
    }

    /** A consumer of the files whose names match {@code include}, moved to {@code .done/} once read. */
    String consumer(String include, long pollMillis, String pollStrategyBean) {
        return base + "include=RAW(" + include + ")&move=.done/${file:name}&readLock=changed&readLockMinAge=500"
                + "&readLockCheckInterval=250&sortBy=file:name&delay=" + pollMillis + "&pollStrategy=#"
                + pollStrategyBean;
    }

    /** A producer that writes through a temporary name, so a reader never sees half a file. */
    String producer() {
        return base + "tempPrefix=.partial-&fileExist=Override";
    }

    @Override
    public String toString() {
        return where;
    }
}
