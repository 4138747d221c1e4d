package org.meshledger.ledger.identity;

import java.util.Optional;

/**
 * What a principal may do within its own party. The identity provider grants these as realm roles
 * under the same names.
 */
public enum Role {
    /** Reads what the party may read. */
    VIEWER("viewer"),
    /** Submits transactions for the party. */
    EDITOR("editor"),
    /** Manages the party's users, systems, connectors and access grants. */
    PARTY_ADMIN("party-admin");

    /** The role names as the container knows them, for {@code @RolesAllowed}. */
    public static final String VIEWER_NAME = "viewer";
    public static final String EDITOR_NAME = "editor";
    public static final String PARTY_ADMIN_NAME = "party-admin";

    private final String roleName;

    Role(String roleName) {
        this.roleName = roleName;
    }

    public String roleName() {
        return roleName;
    }

    public static Optional<Role> fromRoleName(String name) {
        for (Role role : values()) {
            if (role.roleName.equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
