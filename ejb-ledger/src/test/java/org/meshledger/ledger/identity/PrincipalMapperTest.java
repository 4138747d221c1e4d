package org.meshledger.ledger.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PrincipalMapperTest {

    private final PrincipalMapper mapper = new PrincipalMapper();

    @Test
    void aUserInOnePartyGroupActsForThatParty() {
        MeshPrincipal principal = mapper.map(new CallerClaims("sub-1", "sam.servicer", "meshledger-portal",
                List.of("/parties/servicer", "/staff"), Set.of("editor", "viewer", "offline_access")));

        assertEquals(new PartyId("servicer"), principal.party());
        assertEquals(PrincipalKind.USER, principal.kind());
        assertEquals("sam.servicer", principal.name());
        assertEquals(Set.of(Role.EDITOR, Role.VIEWER), principal.roles(), "roles MeshLedger does not know are dropped");
    }

    @Test
    void aServiceAccountIsTheSystemOfItsClient() {
        MeshPrincipal principal = mapper.map(new CallerClaims("sub-2", "service-account-servicer-system",
                "servicer-system", List.of("/parties/servicer"), Set.of("editor")));

        assertEquals(PrincipalKind.SYSTEM, principal.kind());
        assertEquals("servicer-system", principal.name());
        assertTrue(principal.hasRole(Role.EDITOR));
    }

    @Test
    void aServiceAccountInAnotherPartysGroupIsRefused() {
        UnmappedCallerException e = assertThrows(UnmappedCallerException.class, () -> mapper.map(new CallerClaims(
                "sub-1", "service-account-servicer-system", "servicer-system", List.of("/parties/loan-owner"),
                Set.of("editor"))));

        assertTrue(e.getMessage().contains("'servicer-system' is in the group of party loan-owner but is not one of "
                + "its clients"), e.getMessage());
    }

    @Test
    void aCallerInNoPartyIsRefusedWithTheReason() {
        UnmappedCallerException refused = assertThrows(UnmappedCallerException.class, () -> mapper.map(
                new CallerClaims("sub-3", "eve", "meshledger-portal", List.of("/staff"), Set.of("viewer"))));

        assertTrue(refused.getMessage().contains("'eve' belongs to no party"), refused.getMessage());
    }

    @Test
    void aCallerInTwoPartiesIsRefused() {
        UnmappedCallerException refused = assertThrows(UnmappedCallerException.class, () -> mapper.map(
                new CallerClaims("sub-4", "mallory", "meshledger-portal",
                        List.of("/parties/servicer", "/parties/loan-owner"), Set.of("viewer"))));

        assertTrue(refused.getMessage().contains("several parties"), refused.getMessage());
    }

    @Test
    void nestedGroupsUnderAPartyAreNotParties() {
        assertThrows(UnmappedCallerException.class, () -> mapper.map(new CallerClaims("sub-5", "x", "c",
                List.of("/parties/servicer/contractors"), Set.of("viewer"))));
    }

    @Test
    void aGroupThatIsNoValidPartyIdIsRefused() {
        UnmappedCallerException refused = assertThrows(UnmappedCallerException.class, () -> mapper.map(
                new CallerClaims("sub-6", "x", "c", List.of("/parties/Loan Owner"), Set.of("viewer"))));

        assertTrue(refused.getMessage().contains("not a valid party id"), refused.getMessage());
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        assertThrows(UnmappedCallerException.class,
                () -> mapper.map(new CallerClaims(null, "x", "c", List.of("/parties/servicer"), Set.of())));
    }
}
