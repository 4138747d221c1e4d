package org.meshledger.web.security;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.meshledger.ledger.identity.EndedSessions;
import org.meshledger.ledger.identity.IdentityProviderSettings;

/**
 * The identity provider's back-channel logout endpoint: when a user signs out (or an administrator
 * ends a session), the provider posts a signed logout token here, and from then on the tokens of
 * that session are refused by the API and end the portal session, though they have not expired.
 * Configured on the clients as {@code backchannel.logout.url}; not behind sign-in (the provider
 * calls it, the token's signature is the proof).
 */
@WebServlet("/oidc/backchannel-logout")
public class BackchannelLogoutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(BackchannelLogoutServlet.class.getName());

    @EJB
    private EndedSessions endedSessions;

    private transient LogoutTokens tokens;

    @Override
    public void init() {
        tokens = new LogoutTokens(IdentityProviderSettings.fromConfig());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String token = request.getParameter("logout_token");
        if (token == null || token.isBlank()) {
            refuse(response, "the request has no logout_token");
            return;
        }
        try {
            String session = tokens.endedSession(token);
            endedSessions.ended(session);
            LOG.fine(() -> "Sign-in session " + session + " ended; its tokens are refused from now on");
            response.setStatus(HttpServletResponse.SC_OK);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Refused a back-channel logout: " + e.getMessage());
            refuse(response, e.getMessage());
        }
    }

    /** As the specification answers a logout it cannot honour: 400 with an OAuth error object. */
    private static void refuse(HttpServletResponse response, String reason) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":\"invalid_request\",\"error_description\":\""
                + reason.replace("\\", "\\\\").replace("\"", "'") + "\"}");
    }
}
