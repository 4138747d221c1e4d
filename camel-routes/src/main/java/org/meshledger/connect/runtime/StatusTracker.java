package org.meshledger.connect.runtime;

import java.time.Clock;
import java.time.Instant;

import org.meshledger.connect.config.ConnectorDefinition;
import org.meshledger.connect.spi.SourceReporter;
import org.meshledger.persistence.health.ConnectorStatusBoard;
import org.meshledger.persistence.health.ConnectorStatusBoard.Snapshot;
import org.meshledger.persistence.health.ConnectorStatusBoard.State;

/** Keeps one connector's line on the status board (health, portal, API) current. */
public final class StatusTracker implements SourceReporter {

    private final String id;
    private final Clock clock;
    private volatile Runnable onFailed = () -> { };
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    StatusTracker(ConnectorDefinition definition, Clock clock) {
        this.id = definition.id();
        this.clock = clock;
        ConnectorStatusBoard.register(new Snapshot(id, definition.kind(), definition.party(), definition.system(),
                definition.enabled() ? State.STARTING : State.DISABLED, definition.enabled() ? "" : "enabled: false",
                false, false, null, null, 0, 0, 0, null, null, 0, clock.instant()));
    }

    /** Which ways the connector moves records, once its mappings are known. */
    void flows(boolean reads, boolean writes) {
        ConnectorStatusBoard.update(id, s -> new Snapshot(s.id(), s.kind(), s.party(), s.system(), s.state(), s.detail(),
                reads, writes, s.lastInboundAt(), s.lastOutboundAt(), s.inboundRecords(), s.outboundRecords(),
                s.errors(), s.lastError(), s.lastErrorAt(), s.outboundHeight(), s.changedAt()));
    }

    public void state(State state, String detail) {
        ConnectorStatusBoard.update(id, s -> s.withState(state, detail));
    }

    /** Records committed (or found committed) from the system. */
    void inbound(int records) {
        Instant now = clock.instant();
        ConnectorStatusBoard.update(id, s -> new Snapshot(s.id(), s.kind(), s.party(), s.system(), running(s),
                running(s) == s.state() ? s.detail() : "", s.reads(), s.writes(), now, s.lastOutboundAt(),
                s.inboundRecords() + records, s.outboundRecords(), s.errors(), s.lastError(), s.lastErrorAt(),
                s.outboundHeight(), now));
    }

    /** Records written to the system, and the height now written up to. */
    void outbound(int records, long height) {
        Instant now = clock.instant();
        ConnectorStatusBoard.update(id, s -> new Snapshot(s.id(), s.kind(), s.party(), s.system(), running(s),
                running(s) == s.state() ? s.detail() : "", s.reads(), s.writes(), s.lastInboundAt(),
                records > 0 ? now : s.lastOutboundAt(), s.inboundRecords(), s.outboundRecords() + records, s.errors(),
                s.lastError(), s.lastErrorAt(), height, now));
    }

    /** A failure: of records (dead-lettered), or of the link (retrying). */
    void error(String reason, boolean retrying) {
        Instant now = clock.instant();
        ConnectorStatusBoard.update(id, s -> new Snapshot(s.id(), s.kind(), s.party(), s.system(),
                retrying && s.state() != State.FAILED ? State.RETRYING : s.state(),
                retrying && s.state() != State.FAILED ? reason : s.detail(), s.reads(), s.writes(),
                s.lastInboundAt(), s.lastOutboundAt(), s.inboundRecords(), s.outboundRecords(), s.errors() + 1, reason,
                now, s.outboundHeight(), now));
    }

    @Override
    public void reachable() {
        ConnectorStatusBoard.update(id, s -> s.state() == State.RETRYING || s.state() == State.STARTING
                ? s.withState(State.RUNNING, "") : s);
    }

    @Override
    public void unreachable(String reason) {
        error(reason, true);
    }

    /**
     * The connector refused to go on: failed with the reason (counted as an error; the first reason
     * stays the state's detail), and the core told to stop it. Later reports do not bring it back to
     * running.
     */
    @Override
    public void failed(String reason) {
        Instant now = clock.instant();
        ConnectorStatusBoard.update(id, s -> new Snapshot(s.id(), s.kind(), s.party(), s.system(), State.FAILED,
                s.state() == State.FAILED ? s.detail() : reason, s.reads(), s.writes(), s.lastInboundAt(), s.lastOutboundAt(), s.inboundRecords(),
                s.outboundRecords(), s.errors() + 1, reason, now, s.outboundHeight(), now));
        if (stopped.compareAndSet(false, true)) {
            onFailed.run(); // once: later refusals (from requests already under way) only count
        }
    }

    /** What stops the connector when it reports itself failed (set by the runtime once it runs). */
    void onFailed(Runnable stop) {
        this.onFailed = stop;
    }

    public Snapshot snapshot() {
        return ConnectorStatusBoard.get(id).orElseThrow();
    }

    /** A connector that moves records again is running (unless it failed or was stopped). */
    private static State running(Snapshot s) {
        return s.state() == State.RETRYING || s.state() == State.STARTING ? State.RUNNING : s.state();
    }
}
