package org.meshledger.web.portal;

import java.io.IOException;

import jakarta.ejb.EJB;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.meshledger.ledger.identity.CurrentPrincipal;
import org.meshledger.ledger.identity.SessionEndedException;
import org.meshledger.ledger.identity.UnmappedCallerException;

/**
 * Turns away, with 403 and the reason, a signed-in user who is no principal of a party: the
 * identity provider knows them, the network does not. Signing out stays possible.
 */
@WebFilter("/portal/*")
public class PartyMembershipFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @EJB
    private CurrentPrincipal currentPrincipal;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getServletPath().equals("/portal/sign-out")) {
            chain.doFilter(request, response);
            return;
        }
        try {
            currentPrincipal.get();
        } catch (UnmappedCallerException e) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, e.getMessage());
            return;
        } catch (SessionEndedException e) {
            // Signed out elsewhere (or ended by an administrator): this browser's session ends too.
            request.getSession().invalidate();
            response.sendRedirect(request.getContextPath() + "/");
            return;
        }
        chain.doFilter(request, response);
    }
}
