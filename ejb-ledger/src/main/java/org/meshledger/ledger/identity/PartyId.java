package org.meshledger.ledger.identity;

import java.util.regex.Pattern;

/**
 * The identifier of a party of the network, e.g. {@code servicer} or {@code loan-owner}: lower-case
 * words joined by hyphens, as they appear in the network definition, in the identity provider's
 * party groups and in URLs.
 */
public record PartyId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public PartyId {
        if (value == null || value.length() > 63 || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("Not a party id (lower-case words joined by hyphens, at most 63 characters): "
                    + value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= 63 && FORMAT.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
