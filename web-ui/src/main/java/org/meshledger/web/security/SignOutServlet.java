package org.meshledger.web.security;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.wildfly.security.http.oidc.OidcPrincipal;
import org.wildfly.security.http.oidc.RefreshableOidcSecurityContext;

/**
 * Signs the user out of the portal and of the identity provider (OpenID Connect RP-initiated
 * logout), then back to the landing page. Without the second step the next "sign in" would let the
 * same user straight back in.
 */
@WebServlet("/portal/sign-out")
public class SignOutServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        String endSession = endSessionUrl(request);
        request.logout();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        response.sendRedirect(endSession != null ? endSession : landingPage(request));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        doPost(request, response);
    }

    private static String endSessionUrl(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        if (!(principal instanceof OidcPrincipal<?> oidc)
                || !(oidc.getOidcSecurityContext() instanceof RefreshableOidcSecurityContext context)
                || context.getOidcClientConfiguration() == null) {
            return null;
        }
        String endpoint = context.getOidcClientConfiguration().getLogoutUrl();
        String idToken = context.getIDTokenString();
        if (endpoint == null || idToken == null) {
            return null;
        }
        return endpoint + (endpoint.contains("?") ? "&" : "?")
                + "id_token_hint=" + URLEncoder.encode(idToken, StandardCharsets.UTF_8)
                + "&post_logout_redirect_uri=" + URLEncoder.encode(landingPage(request), StandardCharsets.UTF_8);
    }

    private static String landingPage(HttpServletRequest request) {
        String base = request.getRequestURL().toString();
        return base.substring(0, base.length() - request.getRequestURI().length()) + request.getContextPath() + "/";
    }
}
