package org.meshledger.ledger.service;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;


import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.proof.ConsistencyProof;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.proof.SignedDigest;
import org.meshledger.ledger.proof.VerificationReport;

/** Digests, proofs and full verification. */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
@RolesAllowed({Role.VIEWER_NAME, Role.EDITOR_NAME, Role.PARTY_ADMIN_NAME})
public class ProofService {

    @EJB
    private LedgerEngine engine;

    @EJB
    private CurrentPrincipal currentPrincipal;

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
        try {
            return engine.reader().proof(currentPrincipal.get(), type, id, version, height);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    public ConsistencyProof consistency(long from, long to) {
        currentPrincipal.get();
        try {
            return engine.proofs().consistency(from, to);
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }

    /** Recomputes the whole ledger; for administrators, as it reads everything. */
    @RolesAllowed(Role.PARTY_ADMIN_NAME)
    public VerificationReport verify() {
        currentPrincipal.get();
        try {
            return engine.verifier().verify();
        } catch (SQLException e) {
            throw LedgerFailure.of(e);
        }
    }
}
