package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createLoan;
import static org.meshledger.ledger.block.Records.update;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.ordering.BlockPolicy;
import org.meshledger.ledger.ordering.LedgerUnavailableException;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.transaction.Submission;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionRequest;
import org.meshledger.ledger.transaction.TransactionStatus;

/**
 * A block whose commit the database does not confirm (the connection breaks during COMMIT) is
 * settled against the ledger before the next block: the in-memory chain never falls behind it.
 */
class UnknownCommitTest {

    private static final MeshPrincipal SERVICER = TestLedger.principal("servicer", "sam");

    @Test
    void aBlockCommittedWithoutConfirmationIsAnsweredAsCommittedAndTheChainGoesOn() throws Exception {
        FlakyDatabase db = new FlakyDatabase(TestLedger.freshDatabase());
        try (TestLedger ledger = TestLedger.on(db.dataSource(), BlockPolicy.DEFAULT)) {
            ledger.commit(SERVICER, null, createLoan("L-1"));
            db.commitsThenFail.set(1);

            TransactionOutcome unconfirmed = ledger.commit(SERVICER, null,
                    update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"));
            assertEquals(0, db.commitsThenFail.get(), "the commit was not confirmed");
            assertEquals(TransactionStatus.COMMITTED, unconfirmed.status());
            assertEquals(2, unconfirmed.blockHeight());

            TransactionOutcome next = ledger.commit(SERVICER, null, update("Loan", "L-1", 2, "{\"status\": \"current\"}"));
            assertEquals(TransactionStatus.COMMITTED, next.status(), String.valueOf(next.rejection()));
            assertEquals(3, next.blockHeight(), "the next block is at the right height");
            assertEquals(3, ledger.chain.height());
            assertTrue(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact());
        }
    }

    @Test
    void aBlockNotCommittedAfterAllIsAppliedAgain() throws Exception {
        FlakyDatabase db = new FlakyDatabase(TestLedger.freshDatabase());
        try (TestLedger ledger = TestLedger.on(db.dataSource(), BlockPolicy.DEFAULT)) {
            ledger.commit(SERVICER, null, createLoan("L-1"));
            db.rollsBackThenFail.set(1);

            TransactionOutcome again = ledger.commit(SERVICER, null,
                    update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"));
            assertEquals(0, db.rollsBackThenFail.get());
            assertEquals(TransactionStatus.COMMITTED, again.status());
            assertEquals(2, again.blockHeight());
            assertEquals(2, ledger.count("SELECT count(*) FROM ledger_transaction"));
            assertEquals(3, ledger.commit(SERVICER, null, createLoan("L-2")).blockHeight());
            assertTrue(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact());
        }
    }

    @Test
    void aCommitThatCannotBeSettledAtOnceIsSettledBeforeTheNextBlock() throws Exception {
        FlakyDatabase db = new FlakyDatabase(TestLedger.freshDatabase());
        try (TestLedger ledger = TestLedger.on(db.dataSource(), BlockPolicy.DEFAULT)) {
            ledger.commit(SERVICER, null, createLoan("L-1"));
            db.commitsThenFail.set(1);
            db.unreachableAfterCommit.set(1); // the ledger cannot be read to settle it

            Submission unsettled = new Submission(UUID.randomUUID(), SERVICER, new TransactionRequest("k-1", null, null,
                    null, List.of(update("Loan", "L-1", 1, "{\"status\": \"delinquent\"}"))));
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> ledger.ordering.submit(unsettled).committed().get(30, TimeUnit.SECONDS));
            LedgerUnavailableException unavailable = assertInstanceOf(LedgerUnavailableException.class,
                    failure.getCause());
            assertTrue(unavailable.getMessage().startsWith("The ledger cannot take transactions now"),
                    unavailable.getMessage());
            assertTrue(unavailable.getMessage().contains("may or may not be committed"), unavailable.getMessage());
            assertFalse(unavailable.getMessage().contains("08006"), "no database message");
            assertEquals(1, ledger.chain.height(), "not known yet");

            TransactionOutcome next = ledger.commit(SERVICER, null, createLoan("L-2"));
            assertEquals(TransactionStatus.COMMITTED, next.status());
            assertEquals(3, next.blockHeight(), "block 2 was committed after all");
            TransactionOutcome repeat = ledger.commit(unsettled);
            assertTrue(repeat.repeated());
            assertEquals(TransactionStatus.COMMITTED, repeat.status());
            assertEquals(2, repeat.blockHeight());
            assertTrue(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact());
        }
    }

    /** A database whose connections can be told to lose the answer to a COMMIT. */
    private static final class FlakyDatabase {

        /** Commits this many more times, and says the connection broke. */
        final AtomicInteger commitsThenFail = new AtomicInteger();
        /** Rolls back this many more commits, and says the connection broke. */
        final AtomicInteger rollsBackThenFail = new AtomicInteger();
        /** After such a commit, this many more connections cannot be had. */
        final AtomicInteger unreachableAfterCommit = new AtomicInteger();
        private final DataSource target;
        private volatile boolean brokeOnce;

        FlakyDatabase(DataSource target) {
            this.target = target;
        }

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection")) {
                            if (brokeOnce && unreachableAfterCommit.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                throw new SQLException("Connection to localhost refused", "08001");
                            }
                            return connection((Connection) invoke(target, method, args));
                        }
                        return invoke(target, method, args);
                    });
        }

        private Connection connection(Connection real) {
            InvocationHandler handler = (proxy, method, args) -> {
                if (method.getName().equals("commit")) {
                    if (commitsThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        real.commit();
                        brokeOnce = true;
                        throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                    }
                    if (rollsBackThenFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        real.rollback();
                        throw new SQLException("An I/O error occurred while sending to the backend", "08006");
                    }
                }
                return invoke(real, method, args);
            };
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    handler);
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
