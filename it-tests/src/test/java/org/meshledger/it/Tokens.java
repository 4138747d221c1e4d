package org.meshledger.it;

import org.meshledger.stack.DemoRealm;

/** Tokens of the demo realm's principals, by what they are for. */
final class Tokens {

    private Tokens() {
    }

    static String system(String party) {
        DemoRealm.DemoSystem system = DemoRealm.load().systems().stream().filter(s -> s.party().equals(party))
                .findFirst().orElseThrow();
        return Keycloak.systemToken(system.clientId(), system.secret());
    }

    /** A demo user of the party with the given role. */
    static String user(String party, String role) {
        DemoRealm.DemoUser user = DemoRealm.load().users().stream()
                .filter(u -> u.party().equals(party) && u.roles().contains(role)).findFirst().orElseThrow();
        return Keycloak.userToken(user.username(), user.password());
    }
}
