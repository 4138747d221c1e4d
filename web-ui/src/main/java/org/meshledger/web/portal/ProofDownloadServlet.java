package org.meshledger.web.portal;

import java.io.IOException;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.meshledger.ledger.admission.AdmissionRefusedException;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.proof.InclusionProof;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.service.ProofService;

/**
 * {@code /portal/proof?type=&id=&version=}: a record version's inclusion proof as a file, holding
 * the signed digest it checks against and disclosing only the fields the signed-in party may read.
 * The page next to the link gives the standalone verifier's command. Admitted as a proof
 * ({@code meshledger.admission.proof.*}): a refused one answers 429 with {@code Retry-After}.
 */
@WebServlet("/portal/proof")
public class ProofDownloadServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @EJB
    private ProofService proofs;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String type = request.getParameter("type");
        String id = request.getParameter("id");
        int version;
        try {
            version = Integer.parseInt(request.getParameter("version"));
        } catch (NumberFormatException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "version is a whole number");
            return;
        }
        if (type == null || id == null || version < 1) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "type, id and version (from 1) are required");
            return;
        }
        InclusionProof proof;
        try {
            proof = proofs.inclusion(type, id, version, null);
        } catch (RuntimeException e) {
            if (LedgerActions.unwrapped(e) instanceof NotFoundException) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            if (LedgerActions.unwrapped(e) instanceof AdmissionRefusedException refused) {
                response.setHeader("Retry-After", String.valueOf(refused.retryAfterSeconds()));
                response.sendError(429, refused.getMessage());
                return;
            }
            throw e;
        }
        String file = (type + "-" + id + "-v" + version + ".proof.json").replaceAll("[^A-Za-z0-9._-]", "_");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(response.getOutputStream(), proof);
    }
}
