package org.meshledger.ledger.ordering.kafka;

/**
 * What the consumer loop ({@link OrderConsumer}) hands out, all on its own thread, in log order:
 * each cut block, each skipped record (as {@link SkipListener}), and, once, why it stopped if it
 * stopped by itself.
 */
public interface OrderLogListener extends SkipListener {

    /**
     * The next block, in height order. Return once the block is stored with its
     * {@link CutBlock#stateAfter()}, {@link CutBlock#end()} and batch keys (so that
     * {@link TakenBatches} answers for them): the loop then goes on with the next record. Throwing
     * stops the loop ({@link #halted}): the node restarts from what it stored, and reads the log from
     * there again.
     */
    void block(CutBlock block) throws Exception;

    @Override
    default void skipped(SkippedMessage message) {
    }

    /**
     * The loop stopped by itself and reads no more: {@code cause} is {@link #block}'s failure, a
     * {@link LogStartException} ({@link LogStartException.Reason#OFFSET_MISSING} when the log no longer
     * holds the position), or a Kafka error that retrying cannot cure (authorization, for one). Not
     * called when the loop is closed.
     */
    default void halted(Throwable cause) {
    }
}
