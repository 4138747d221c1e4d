package org.meshledger.ledger.service;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.meshledger.ledger.admission.Admission;
import org.meshledger.ledger.admission.AdmissionRefusedException;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.MeshPrincipal;

/**
 * The node's {@link Admission} of expensive work, with the limits of its settings
 * ({@code meshledger.admission.*}), for the calling principal: the services admit proofs and
 * verification themselves; the web layer admits the exports it streams, as they outlast one call.
 *
 * <p>Threads: any number (bean-managed concurrency; {@link Admission} is thread-safe). Failure:
 * {@link #enter} throws {@link AdmissionRefusedException} (an application exception, so it reaches
 * the caller as it is: a 429 on the API).
 */
@Singleton
// At start, so that limits that make no sense (a caller limit over the node limit) fail the deployment.
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@PermitAll
public class AdmissionControl {

    @EJB
    private CurrentPrincipal currentPrincipal;

    private Admission admission;

    @PostConstruct
    void start() {
        admission = new Admission(LedgerSettings.admissionLimits(), System::nanoTime);
    }

    /**
     * Admits one run of {@code kind} for the calling principal (its party and name).
     *
     * @return the permit to close when the run ends, whether it succeeds or fails
     * @throws AdmissionRefusedException if the node or the caller runs as many as allowed
     */
    public Admission.Permit enter(WorkKind kind) {
        return admission.enter(kind, caller(currentPrincipal.get()));
    }

    /** Admits one run for a principal already resolved. */
    public Admission.Permit enter(WorkKind kind, MeshPrincipal principal) {
        return admission.enter(kind, caller(principal));
    }

    static String caller(MeshPrincipal principal) {
        return principal.party().value() + "/" + principal.name();
    }
}
