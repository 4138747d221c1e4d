package org.meshledger.web.api;

import java.util.List;

import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.Role;

/** The caller as the API shows it. */
public record PrincipalView(String party, String kind, String name, List<String> roles) {

    public static PrincipalView of(MeshPrincipal principal) {
        return new PrincipalView(principal.party().value(), principal.kind().name().toLowerCase(), principal.name(),
                principal.roles().stream().map(Role::roleName).sorted().toList());
    }
}
