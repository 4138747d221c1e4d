package org.meshledger.stack;

/**
 * Keycloak replaces {@code ${NAME:default}} in an imported realm with the environment variable NAME,
 * or the default.
 */
final class Placeholders {

    private Placeholders() {
    }

    /** The default of a placeholder as Keycloak would use it with NAME unset; a plain value as it is. */
    static String defaultOf(String value) {
        if (value.startsWith("${") && value.endsWith("}")) {
            int colon = value.indexOf(':');
            return colon < 0 ? "" : value.substring(colon + 1, value.length() - 1);
        }
        return value;
    }
}
