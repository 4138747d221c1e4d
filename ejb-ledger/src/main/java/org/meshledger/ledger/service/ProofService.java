package org.meshledger.ledger.service;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;


import org.meshledger.ledger.admission.Admission;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.proof.ConsistencyProof;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.SignedDigest;
import org.meshledger.ledger.proof.VerificationReport;

/**
 * Digests, proofs and full verification. Proofs ({@link WorkKind#PROOF}) and verification
 * ({@link WorkKind#VERIFICATION}) are admitted by {@link AdmissionControl} for the time of the call:
 * a refused one throws {@link org.meshledger.ledger.admission.AdmissionRefusedException}.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class ProofService {

    @EJB
    private LedgerEngine engine;

    @EJB
    private CurrentPrincipal currentPrincipal;

    @EJB
    private AdmissionControl admission;

    /** Not admitted: one block read and one signature, no more work than any other read. */
    public SignedDigest digest(Long height) {
        currentPrincipal.get();
        try {
            return engine.proofs().digest(height);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * A record version's inclusion proof, disclosing the fields the caller's party may read and only
     * the salted hashes of the others: it still verifies, and reveals nothing the party may not read.
     */
    public InclusionProof inclusion(String type, String id, int version, Long height) {
        MeshPrincipal principal = currentPrincipal.get();
        try (Admission.Permit permit = admission.enter(WorkKind.PROOF, principal)) {
            return engine.reader().proof(principal, type, id, version, height);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * The proof holds O(log n) hashes (RFC 6962 SUBPROOF), but making it reads the hashes of every
     * block up to {@code to} and hashes them: O(n) work, hence the admission.
     */
    public ConsistencyProof consistency(long from, long to) {
        try (Admission.Permit permit = admission.enter(WorkKind.PROOF, currentPrincipal.get())) {
            return engine.proofs().consistency(from, to);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /**
     * Recomputes the whole ledger while the caller waits; for administrators, as it reads
     * everything. It shares the node's verification place with the dashboard's background run
     * ({@link VerificationRuns}): one at a time by default.
     */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public VerificationReport verify() {
        try (Admission.Permit permit = admission.enter(WorkKind.VERIFICATION, currentPrincipal.get())) {
            return engine.verifier().verify();
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }
}
