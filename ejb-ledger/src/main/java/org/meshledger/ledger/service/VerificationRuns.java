package org.meshledger.ledger.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;

import org.meshledger.ledger.admission.Admission;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.proof.VerificationReport;

/**
 * Full verification in the background, one run at a time per node, with its progress for the
 * dashboard. Any principal sees the status; a party administrator starts a run (it reads
 * everything and takes minutes on a large ledger).
 *
 * <p>A run holds a {@link WorkKind#VERIFICATION} admission from its start to its end, the place a
 * waiting {@code POST /api/ledger/verifications} also takes ({@link ProofService#verify}); starting
 * one while that runs throws {@link org.meshledger.ledger.admission.AdmissionRefusedException}.
 * Threads: {@link #status} reads two atomics and takes no lock, so polling it is cheap; {@link #start}
 * may be called from any number of threads and starts at most one run.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class VerificationRuns {

    @EJB
    private LedgerEngine engine;

    @EJB
    private CurrentPrincipal currentPrincipal;

    @EJB
    private AdmissionControl admission;

    @Resource
    private ManagedExecutorService executor;

    private final AtomicReference<VerificationStatus> status = new AtomicReference<>(VerificationStatus.NEVER);
    private final AtomicLong checked = new AtomicLong();

    public VerificationStatus status() {
        VerificationStatus s = status.get();
        return s.running() ? new VerificationStatus(s.startedAt(), s.startedBy(), checked.get(), s.blocksToCheck(),
                null, null, null) : s;
    }

    /** Starts a run unless one is running; answers the status either way. */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public VerificationStatus start() {
        MeshPrincipal principal = currentPrincipal.get();
        String by = AdmissionControl.caller(principal);
        VerificationStatus previous = status.get();
        if (previous.running()) {
            return status();
        }
        Admission.Permit permit = admission.enter(WorkKind.VERIFICATION, principal);
        boolean submitted = false;
        try {
            VerificationStatus started = new VerificationStatus(Instant.now(), by, 0, engine.chain().height(), null,
                    null, null);
            if (!status.compareAndSet(previous, started)) {
                return status();
            }
            checked.set(0);
            try {
                executor.submit(() -> run(started, permit));
                submitted = true;
            } catch (RuntimeException e) {
                status.set(finished(started, null, "verification could not start: " + e.getMessage()));
                throw e;
            }
            return started;
        } finally {
            if (!submitted) {
                permit.close();
            }
        }
    }

    private void run(VerificationStatus started, Admission.Permit permit) {
        VerificationReport report = null;
        String failure = null;
        try {
            report = engine.verifier().verify(checked::set);
        } catch (SQLException | RuntimeException e) {
            failure = "verification stopped: " + e.getMessage();
        } finally {
            permit.close();
        }
        status.set(finished(started, report, failure));
    }

    private VerificationStatus finished(VerificationStatus started, VerificationReport report, String failure) {
        return new VerificationStatus(started.startedAt(), started.startedBy(),
                report == null ? checked.get() : report.blocks(), started.blocksToCheck(), Instant.now(), report,
                failure);
    }
}
