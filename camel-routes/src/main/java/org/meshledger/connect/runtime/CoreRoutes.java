package org.meshledger.connect.runtime;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.OnExceptionDefinition;
import org.meshledger.connect.config.RetryPolicy;
import org.meshledger.connect.spi.OutboundBatch;
import org.meshledger.connect.spi.OutboundRecord;
import org.meshledger.connect.spi.OutboundReport;
import org.meshledger.connect.spi.WriteResult;

/**
 * The routes the core puts around each connector: the inbound endpoint its routes send batches to,
 * and the outbound route that hands batches to the connector's writer. Both retry a failed batch
 * with exponential backoff ({@link RetryPolicy}); after the last attempt its records go to the
 * dead-letter store, so the stream moves on and nothing is lost.
 */
final class CoreRoutes extends RouteBuilder {

    private final String id;
    private final RetryPolicy retry;
    private final InboundProcessor inbound;
    private final String inboundEndpoint;
    private final String outboundEndpoint;
    private final String writerEndpoint;
    private final StatusTracker status;

    /**
     * @param outboundEndpoint where the outbound feed sends batches, or null if the connector writes nothing
     * @param writerEndpoint the connector's own route that writes them
     */
    CoreRoutes(String id, RetryPolicy retry, InboundProcessor inbound, String inboundEndpoint, String outboundEndpoint,
            String writerEndpoint, StatusTracker status) {
        this.id = id;
        this.retry = retry;
        this.inbound = inbound;
        this.inboundEndpoint = inboundEndpoint;
        this.outboundEndpoint = outboundEndpoint;
        this.writerEndpoint = writerEndpoint;
        this.status = status;
    }

    @Override
    public void configure() {
        // The node's default is no error handler (so a connector's own routes hand failures up to these).
        errorHandler(defaultErrorHandler().logExhausted(false));

        retrying(from(inboundEndpoint).routeId(id + "-inbound")
                .onException(Exception.class))
                .process(inbound::deadLetterRest)
                .end()
                .process(inbound);

        if (outboundEndpoint != null) {
            retrying(from(outboundEndpoint).routeId(id + "-outbound")
                    .onException(Exception.class))
                    .process(CoreRoutes::refuseBatch)
                    .end()
                    .to(writerEndpoint)
                    .process(CoreRoutes::checkReport);
        }
    }

    private OnExceptionDefinition retrying(OnExceptionDefinition onException) {
        return onException
                .maximumRedeliveries(retry.maxAttempts() - 1)
                .redeliveryDelay(retry.firstDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false)
                .onRedelivery(exchange -> status.unreachable("retrying: " + InboundProcessor.describe(
                        exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))))
                .handled(true);
    }

    /** After the last attempt: every record of the batch is refused with the failure, for the dead-letter store. */
    private static void refuseBatch(Exchange exchange) throws Exception {
        OutboundBatch batch = exchange.getIn().getMandatoryBody(OutboundBatch.class);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = "not written after the retries: " + (cause == null ? "unknown failure"
                : InboundProcessor.describe(cause));
        List<WriteResult> results = new ArrayList<>();
        for (OutboundRecord record : batch.records()) {
            results.add(WriteResult.refused(record, "unavailable", reason));
        }
        exchange.getIn().setBody(new OutboundReport(results));
    }

    /** The connector answered for every record it was given. */
    private static void checkReport(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (!(body instanceof OutboundReport)) {
            throw new IllegalStateException("the connector's writer must answer with an OutboundReport, not "
                    + (body == null ? "nothing" : body.getClass().getName()));
        }
    }
}
