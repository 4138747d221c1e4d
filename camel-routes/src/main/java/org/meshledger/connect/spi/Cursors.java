package org.meshledger.connect.spi;

import java.util.Optional;

/**
 * A connector's positions in its system's streams (a replay id, a delta link, a file's name), kept in
 * the node's database across restarts. Save a position only after the records before it came back
 * from the inbound endpoint.
 */
public interface Cursors {

    Optional<String> get(String stream);

    void save(String stream, String position);

    /** Forgets a position: the stream starts over (e.g. an expired delta link). */
    void clear(String stream);
}
