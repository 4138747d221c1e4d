package org.meshledger.connect.depot;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.meshledger.connect.spi.SourceReporter;

/**
 * Tells the connector's status whether the depot could be polled: an SFTP server that is away shows
 * as retrying (the consumer polls again at its next interval), and as running once it answers.
 */
final class ReportingPollStrategy implements PollingConsumerPollStrategy {

    private final SourceReporter reporter;
    private final String where;

    ReportingPollStrategy(SourceReporter reporter, String where) {
        this.reporter = reporter;
        this.where = where;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        reporter.reachable();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        reporter.unreachable("cannot read " + where + ": " + cause.getMessage() + "; polling again");
        return false;
    }
}
