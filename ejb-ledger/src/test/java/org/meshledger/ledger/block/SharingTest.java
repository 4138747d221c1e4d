package org.meshledger.ledger.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshledger.ledger.block.Records.createBorrower;
import static org.meshledger.ledger.block.Records.createSecurity;
import static org.meshledger.ledger.block.Records.grant;
import static org.meshledger.ledger.block.Records.revoke;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.access.AccessPolicy;
import org.meshledger.ledger.identity.MeshPrincipal;
import org.meshledger.ledger.identity.PartyId;
import org.meshledger.ledger.identity.PrincipalKind;
import org.meshledger.ledger.identity.Role;
import org.meshledger.ledger.network.DemoNetwork;
import org.meshledger.ledger.proof.LedgerVerifier;
import org.meshledger.ledger.query.HistoryEntry;
import org.meshledger.ledger.query.ListQuery;
import org.meshledger.ledger.query.NotFoundException;
import org.meshledger.ledger.query.RecordPage;
import org.meshledger.ledger.query.RecordReader;
import org.meshledger.ledger.transaction.RejectionCode;
import org.meshledger.ledger.transaction.TransactionOutcome;
import org.meshledger.ledger.transaction.TransactionStatus;
import org.meshledger.persistence.ledger.AsOf;

/** Record-level sharing on the ledger: grants and revocations as versions, honoured by every read. */
class SharingTest {

    private static final MeshPrincipal SAM = TestLedger.principal("servicer", "sam");
    private static final MeshPrincipal SONIA = admin("servicer", "sonia");
    private static final MeshPrincipal SECURITIZER = TestLedger.principal("securitizer", "selena");
    private static final MeshPrincipal SECURITIZER_ADMIN = admin("securitizer", "sid");
    private static final MeshPrincipal HOME_OWNER = TestLedger.principal("home-owner", "hugo");
    private static final String TAX_ID_TO_SECURITIZER = """
            {"fields": {"taxId": {"read": ["securitizer"]}}}""";

    private static MeshPrincipal admin(String party, String name) {
        return new MeshPrincipal(new PartyId(party), PrincipalKind.USER, name, "sub-" + name,
                Set.of(Role.VIEWER, Role.PARTY_ADMIN));
    }

    private static RecordReader reader(TestLedger ledger) {
        return new RecordReader(DemoNetwork.get().schema(), new AccessPolicy(), ledger.store, ledger.proofs(),
                new org.meshledger.persistence.ledger.ReadReceiptStore(ledger.dataSource), java.time.Clock.systemUTC());
    }

    @Test
    void aFieldGrantShowsTheFieldOnThatRecordOnlyAndARevocationTakesItBackWithItsPast() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));
            ledger.commit(SAM, null, createBorrower("B-2"));
            RecordReader reader = reader(ledger);
            assertFalse(reader.get(SECURITIZER, "Borrower", "B-1", AsOf.NOW).state().has("taxId"));

            TransactionOutcome granted = ledger.commit(SONIA, null, grant("Borrower", "B-1", TAX_ID_TO_SECURITIZER));
            assertEquals(TransactionStatus.COMMITTED, granted.status(), String.valueOf(granted.rejection()));
            assertEquals(2, granted.versions().get(0).version(), "a grant is a version of its own");

            assertEquals("123-45-6789", reader.get(SECURITIZER, "Borrower", "B-1", AsOf.NOW).state().path("taxId")
                    .asText());
            assertEquals("123-45-6789", reader.version(SECURITIZER, "Borrower", "B-1", 1).state().path("taxId")
                    .asText(), "sharing a record shares its past");
            assertFalse(reader.get(SECURITIZER, "Borrower", "B-2", AsOf.NOW).state().has("taxId"),
                    "another borrower shares nothing");
            List<HistoryEntry> history = reader.history(SECURITIZER, "Borrower", "B-1");
            assertEquals("grant", history.get(1).version().lineage().operation());
            assertEquals("sonia", history.get(1).version().lineage().principalName());
            assertTrue(history.get(1).changes().isEmpty(), "a grant changes no value");

            ledger.commit(SONIA, null, revoke("Borrower", "B-1", TAX_ID_TO_SECURITIZER));
            assertFalse(reader.get(SECURITIZER, "Borrower", "B-1", AsOf.NOW).state().has("taxId"));
            assertFalse(reader.version(SECURITIZER, "Borrower", "B-1", 2).state().has("taxId"),
                    "revoking takes the past back too");
            assertTrue(new LedgerVerifier(DemoNetwork.get().id(), ledger.store).verify().intact());
        }
    }

    @Test
    void onlyAPartyAdminOfTheOwnerOrOfTheTypesAdminsChangesAccess() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SAM, null, createBorrower("B-1"));

            TransactionOutcome byEditor = ledger.commit(SAM, null, grant("Borrower", "B-1", TAX_ID_TO_SECURITIZER));
            TransactionOutcome byOtherParty = ledger.commit(SECURITIZER_ADMIN, null,
                    grant("Borrower", "B-1", TAX_ID_TO_SECURITIZER));

            assertEquals(RejectionCode.ACCESS_DENIED, byEditor.rejection().code());
            assertTrue(byEditor.rejection().message().contains("party-admin"), byEditor.rejection().message());
            assertEquals(RejectionCode.ACCESS_DENIED, byOtherParty.rejection().code(), "a party cannot share itself in");
            assertFalse(reader(ledger).get(SECURITIZER, "Borrower", "B-1", AsOf.NOW).state().has("taxId"));
        }
    }

    @Test
    void aRecordSharedWithAPartyThatMayNotReadItsTypeIsTheOnlyOneThatExistsForIt() throws Exception {
        try (TestLedger ledger = TestLedger.fresh()) {
            ledger.commit(SECURITIZER, null, createSecurity("S-1"));
            ledger.commit(SECURITIZER, null, createSecurity("S-2"));
            ledger.commit(SECURITIZER_ADMIN, null, grant("Security", "S-1", "{\"read\": [\"home-owner\"]}"));
            RecordReader reader = reader(ledger);

            RecordPage page = reader.list(HOME_OWNER, "Security", new ListQuery(Map.of(), List.of(), 0, 50, AsOf.NOW));
            assertEquals(1, page.total(), "the count tells nothing of the other");
            assertEquals("S-1", page.items().get(0).id());
            assertEquals("S-1", reader.get(HOME_OWNER, "Security", "S-1", AsOf.NOW).id());

            NotFoundException hidden = assertThrows(NotFoundException.class,
                    () -> reader.get(HOME_OWNER, "Security", "S-2", AsOf.NOW));
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> reader.get(HOME_OWNER, "Security", "S-404", AsOf.NOW));
            assertEquals(missing.getMessage().replace("S-404", "S-2"), hidden.getMessage(),
                    "hidden and missing read the same");
            assertThrows(NotFoundException.class, () -> reader.history(HOME_OWNER, "Security", "S-2"));
            RecordPage asOf = reader.list(HOME_OWNER, "Security", new ListQuery(Map.of(), List.of(), 0, 50,
                    new AsOf(2L, null, null)));
            assertEquals(1, asOf.total(), "as of a height before the grant, under the record's current access");
        }
    }
}
