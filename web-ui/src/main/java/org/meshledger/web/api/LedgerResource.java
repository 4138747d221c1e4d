package org.meshledger.web.api;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.meshledger.ledger.proof.ConsistencyProof;
import org.meshledger.ledger.proof.SignedDigest;
import org.meshledger.ledger.proof.VerificationReport;
import org.meshledger.ledger.query.InvalidQueryException;
import org.meshledger.ledger.service.ProofService;

/** {@code /api/ledger}: signed digests, consistency proofs and full verification. */
@Path("ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {

    @EJB
    private ProofService proofs;

    /** The signed digest at {@code height}, or at the last block. */
    @GET
    @Path("digest")
    public SignedDigest digest(@QueryParam("height") Long height) {
        return proofs.digest(height);
    }

    /** Proof that the ledger at {@code from} is a prefix of the ledger at {@code to}. */
    @GET
    @Path("consistency")
    public ConsistencyProof consistency(@QueryParam("from") Long from, @QueryParam("to") Long to) {
        if (from == null || to == null) {
            throw new InvalidQueryException(from == null ? "from" : "to", "from and to are block heights");
        }
        return proofs.consistency(from, to);
    }

    /** Recomputes every hash of the ledger and reports the first that does not match. */
    @POST
    @Path("verifications")
    public VerificationReport verify() {
        return proofs.verify();
    }
}
