package org.meshledger.web.portal;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Named;
import jakarta.servlet.RequestDispatcher;

/** What the error page says: a title for the status and, where it is safe, the reason. */
@Named
@RequestScoped
public class ErrorPage {

    public String getTitle() {
        return switch (status()) {
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            default -> "Something went wrong";
        };
    }

    public String getMessage() {
        return switch (status()) {
            // Our own refusals carry a sentence written for the user (PartyMembershipFilter).
            case 403 -> reasonOr("You may not open this page.");
            case 404 -> "There is no page at this address.";
            // Never echo an internal error's message: it may carry internals.
            default -> "The server could not complete your request. Please try again; if it keeps failing, "
                    + "tell your administrator the time it happened.";
        };
    }

    private String reasonOr(String fallback) {
        Object message = attribute(RequestDispatcher.ERROR_MESSAGE);
        return message instanceof String text && !text.isBlank() ? text : fallback;
    }

    private int status() {
        Object code = attribute(RequestDispatcher.ERROR_STATUS_CODE);
        return code instanceof Integer status ? status : 500;
    }

    private static Object attribute(String name) {
        return FacesContext.getCurrentInstance().getExternalContext().getRequestMap().get(name);
    }
}
