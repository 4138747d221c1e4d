package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.meshledger.stack.DemoLoader;
import org.meshledger.stack.DemoRealm;
import org.meshledger.stack.DemoRealm.DemoUser;

/**
 * The portal in headless Chromium against the suite's node, with the demo network's first loans:
 * each party signs in, the missed payment → assistance plan → acceptance story across two browser
 * sessions with the live update arriving, what a securitizer never sees, keyboard-only use of the
 * main form, and validation that writes nothing. Screenshots land in target/screenshots.
 */
@MeshLedgerIT
class PortalBrowserIT {

    private static final int LOANS = 40;
    private static final Pattern PLAN_ID = Pattern.compile("AP-[0-9A-Z-]+");
    private static final Duration LIVE = Duration.ofSeconds(5);

    private final WebClient web = new WebClient();

    @BeforeAll
    static void demoNetwork() {
        // The same seed as the run command: loan L-000001 is the demo home owner's (hugo.homeowner).
        new DemoLoader(TestStack.portalUrl(), Keycloak.realmUrl()).load(LOANS, 20261101L, line -> { });
    }

    private static DemoUser demoUser(String username) {
        return DemoRealm.load().users().stream().filter(u -> u.username().equals(username)).findFirst().orElseThrow();
    }

    private static Chromium signIn(String username) {
        return Chromium.signedIn(username, demoUser(username).password());
    }

    private JsonNode record(String type, String id) {
        return Json.parse(web.get(TestStack.portalUrl() + "/api/records/" + type + "/" + id, Tokens.system("servicer"))
                .body());
    }

    @Test
    void everyPartySignsInAndSeesTheNetworkDashboard() {
        for (DemoUser user : DemoRealm.load().users()) {
            try (Chromium browser = Chromium.signedIn(user.username(), user.password())) {
                assertEquals(user.party(), browser.text(By.id("principal-party")));
                assertTrue(Long.parseLong(browser.text(By.id("ledger-height"))) > 0, "the ledger's height");
                assertFalse(browser.text(By.id("digest-root")).isBlank(), "the latest signed digest");
                assertEquals(4, browser.driver().findElements(By.cssSelector("#dashboard\\:party-table tbody tr")).size());
                assertEquals(2, browser.driver().findElements(By.cssSelector("canvas")).size(), "two charts");
                browser.screenshot("dashboard-" + user.party() + "-" + user.username());
            }
        }
    }

    @Test
    void aPartyAdministratorSeesItsConnectorsAndReplaysOrDiscardsTheirDeadLetters() {
        // The servicer's in-house system sends a status its mapping does not know: a dead letter.
        String ref = "PAY-PB" + System.nanoTime();
        var sent = web.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(TestStack.portalUrl()
                + "/api/connectors/servicer-webhook/webhook?object=payments"))
                .header("Authorization", "Bearer " + Tokens.system("servicer")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("[{\"ref\": \"" + ref + "\", \"loan\": "
                        + "\"L-000001\", \"due\": \"01/12/2026\", \"amount_cents\": 100, \"state\": \"LOST\"}]")));
        assertEquals(200, sent.statusCode(), sent.body());
        try (Chromium sonia = signIn("sonia.servicer-admin")) {
            sonia.waitFor(By.id("nav-connectors")).click();
            String connectors = sonia.text(By.id("connectors-form:connectors"));
            assertTrue(connectors.contains("servicer-salesforce") && connectors.contains("servicer-webhook"), connectors);
            assertFalse(connectors.contains("owner-dynamics"), "another party's connectors are not shown");
            assertTrue(connectors.contains("running"), connectors);
            sonia.driver().findElement(By.xpath("//tr[.//strong[text()='servicer-webhook']]//button[contains(@id,"
                    + "':show')]")).click();
            sonia.ajaxDone();
            By row = By.xpath("//tbody[contains(@id,'dead-letters')]/tr[contains(., '" + ref + "')]");
            String letter = sonia.waitFor(row).getText();
            assertTrue(letter.contains("field state: 'LOST' has no ledger value"), letter);
            sonia.screenshot("connectors-dead-letters");

            sonia.driver().findElement(row).findElement(By.xpath(".//button[contains(@id,':replay')]")).click();
            assertTrue(sonia.messages().contains("Failed again"), "still unmappable");
            sonia.waitFor(row).findElement(By.xpath(".//button[contains(@id,':discard')]")).click();
            sonia.waitFor(By.cssSelector(".ui-confirmdialog-yes")).click();
            assertTrue(sonia.messages().contains("Discarded"));
            sonia.waitUntilGone(row);
        }
        try (Chromium sam = signIn("sam.servicer")) {
            sam.waitFor(By.id("nav-connectors")).click();
            assertTrue(sam.text(By.id("connectors-form:connectors")).contains("servicer-webhook"));
            assertTrue(sam.driver().findElements(By.xpath("//button[contains(@id,':show')]")).isEmpty(),
                    "dead letters are for party administrators");
        }
    }

    @Test
    void theDataProductCatalogShowsWhatThePartyReadsAndSearchesByField() {
        try (Chromium selena = signIn("selena.securitizer")) {
            selena.waitFor(By.id("nav-data-products")).click();
            selena.waitFor(By.id("catalog-form:products"));
            String catalog = selena.text(By.id("catalog-form:products"));
            assertTrue(catalog.contains("Security of Securitizer"), catalog);
            selena.driver().findElement(By.cssSelector("#catalog-form\\:products .ui-row-toggler")).click();
            String details = selena.waitFor(By.cssSelector("#catalog-form\\:products .ui-expanded-row-content")).getText();
            assertTrue(details.contains("meshledger.mortgage-servicing.securitizer.records"), details);
            assertFalse(details.contains("taxId"), details);
            selena.screenshot("data-products");

            selena.driver().findElement(By.id("catalog-form:search-field")).sendKeys("taxId");
            selena.driver().findElement(By.id("catalog-form:search")).click();
            selena.waitFor(By.cssSelector("#catalog-form\\:products .ui-datatable-empty-message"));
        }
    }

    @Test
    void aPartyAdministratorVerifiesTheWholeLedgerFromTheDashboard() {
        try (Chromium olivia = signIn("olivia.owner")) {
            olivia.waitFor(By.id("dashboard:start-verification")).click();
            olivia.waitFor(By.cssSelector("#verification-summary.verification-intact"), Duration.ofSeconds(60));
            assertTrue(olivia.text(By.id("verification-summary")).startsWith("Intact:"),
                    olivia.text(By.id("verification-summary")));
            olivia.screenshot("dashboard-verified");
        }
        try (Chromium sam = signIn("sam.servicer")) {
            assertTrue(sam.driver().findElements(By.id("dashboard:start-verification")).isEmpty(),
                    "an editor sees the result, not the button");
            assertTrue(sam.text(By.id("verification-summary")).startsWith("Intact:"));
        }
    }

    @Test
    void missedPaymentThenAssistancePlanThenAcceptanceAcrossTwoSessionsWithLiveUpdates() {
        try (Chromium sam = signIn("sam.servicer"); Chromium hugo = signIn("hugo.homeowner")) {
            hugo.open("/portal/loan.xhtml?loan=L-000001");
            hugo.waitFor(By.id("loan-number"));
            // Set on the page as loaded: still there later means the update came without a reload.
            hugo.script("window.notReloaded = true;");

            sam.open("/portal/loan.xhtml?loan=L-000001");
            WebElement dueDate = sam.waitFor(By.id("payment-form:due-date"));
            dueDate.clear();
            dueDate.sendKeys("2026-12-01");
            sam.driver().findElement(By.id("payment-form:outcome_label")).sendKeys(Keys.ARROW_DOWN); // → missed
            sam.driver().findElement(By.id("payment-form:record")).click();
            assertTrue(sam.messages().contains("Missed payment recorded in block"), sam.messages());
            assertEquals("missed", record("Payment", "PAY-000001-2026-12").at("/state/status").asText());

            sam.waitFor(By.id("plan-form:plan-payment")).sendKeys("1035.55");
            sam.driver().findElement(By.id("plan-form:start-date")).sendKeys("2026-12-01");
            sam.driver().findElement(By.id("plan-form:end-date")).sendKeys("2027-05-31");
            sam.driver().findElement(By.id("plan-form:terms")).sendKeys("Half payments for six months.");
            sam.driver().findElement(By.id("plan-form:offer")).click();
            String offered = sam.messages();
            Matcher planId = PLAN_ID.matcher(offered);
            assertTrue(planId.find() && offered.contains("offered in block"), offered);
            String plan = planId.group();
            sam.screenshot("loan-servicer-after-offer");

            // The home owner's page shows the offer by itself.
            WebElement accept = hugo.waitFor(By.xpath("//tr[.//a[normalize-space()='" + plan + "']]"
                    + "//button[contains(@class,'accept-plan')]"), LIVE);
            assertEquals(Boolean.TRUE, hugo.script("return window.notReloaded === true;"), "no reload");
            assertTrue(hugo.messages().contains("another change to this loan was committed"));
            hugo.screenshot("loan-home-owner-live-offer");
            hugo.script("window.notReloaded = true;");
            // The servicer starts typing the next offer while the home owner decides.
            sam.driver().findElement(By.id("plan-form:terms")).sendKeys("Draft: a second plan");
            accept.click();
            assertTrue(hugo.messages().contains("Assistance plan " + plan + " accepted in block"), hugo.messages());

            // And the servicer's page shows the acceptance by itself.
            sam.waitFor(By.xpath("//tr[.//a[normalize-space()='" + plan + "']]"
                    + "//span[contains(@class,'plan-status') and normalize-space()='accepted']"), LIVE);
            sam.screenshot("loan-servicer-live-acceptance");
            assertEquals("Draft: a second plan", sam.driver().findElement(By.id("plan-form:terms")).getAttribute("value"),
                    "a live update leaves what the user is typing alone");

            JsonNode accepted = record("AssistancePlan", plan);
            assertEquals("accepted", accepted.at("/state/status").asText());
            assertEquals("hugo.homeowner", accepted.at("/lineage/principalName").asText(), accepted.toString());
            assertEquals("1035.55", accepted.at("/state/monthlyPayment/amount").asText());
        }
    }

    @Test
    void aSecuritizerNeverSeesABorrowersTaxIdOrName() throws Exception {
        JsonNode borrower = record("Borrower", "B-000001");
        String taxId = borrower.at("/state/taxId").asText();
        String name = borrower.at("/state/fullName").asText();
        assertFalse(taxId.isBlank());
        try (Chromium selena = signIn("selena.securitizer")) {
            selena.open("/portal/loan.xhtml?loan=L-000001");
            assertEquals("—", selena.text(By.id("borrower-tax-id")));
            assertEquals("—", selena.text(By.id("borrower-name")));
            assertFalse(selena.driver().getPageSource().contains(taxId), "nowhere on the loan page");
            selena.screenshot("loan-securitizer");

            selena.open("/portal/record.xhtml?type=Borrower&id=B-000001");
            selena.waitFor(By.id("history-form:version-table"));
            assertFalse(selena.driver().getPageSource().contains(taxId), "nor in the borrower's history");
            assertFalse(selena.driver().getPageSource().contains(name));

            selena.open("/portal/loans.xhtml");
            selena.waitFor(By.id("loans-form:loans"));
            selena.driver().findElement(By.id("loans-form:export")).click();
            String csv = Files.readString(selena.downloaded("loans.csv"), StandardCharsets.UTF_8);
            String header = csv.lines().findFirst().orElseThrow();
            assertTrue(header.startsWith("loanNumber,borrowerId"), header);
            assertFalse(header.contains("borrowerName") || header.contains("taxId"), header);
            assertFalse(csv.contains(taxId) || csv.contains(name), "nor in the export");
            assertTrue(csv.contains("L-000001,B-000001"), "but the loans are there");

            // Searching by borrower name is not for a party that may not read names.
            selena.waitFor(By.id("loans-form:search")).sendKeys("Hugo");
            selena.driver().findElement(By.id("loans-form:apply")).click();
            assertTrue(selena.messages().contains("Borrower names are not shared with your party"), selena.messages());
        }
    }

    @Test
    void theHomeOwnerSeesHisOwnLoansOnlyAndAnotherLoanDoesNotExistForHim() {
        try (Chromium hugo = signIn("hugo.homeowner")) {
            hugo.open("/portal/loans.xhtml");
            hugo.waitFor(By.id("loans-form:loans"));
            List<String> loans = hugo.texts(By.cssSelector("a.loan-link"));
            assertTrue(loans.contains("L-000001") && !loans.contains("L-000002"), loans.toString());
            assertTrue(hugo.texts(By.cssSelector(".borrower-name")).stream().allMatch("Hugo Homeowner"::equals),
                    "every loan he sees is his: " + hugo.texts(By.cssSelector(".borrower-name")));
            hugo.screenshot("loans-home-owner");

            hugo.open("/portal/loan.xhtml?loan=L-000002");
            assertTrue(hugo.messages().contains("There is no loan L-000002 you can see."), hugo.messages());
            hugo.open("/portal/loan.xhtml?loan=L-999999");
            assertTrue(hugo.messages().contains("There is no loan L-999999 you can see."), "the same as a missing one");
            hugo.open("/portal/record.xhtml?type=Loan&id=L-000002");
            assertTrue(hugo.messages().contains("There is no record Loan/L-000002 you can see."), hugo.messages());
            hugo.open("/portal/proof?type=Loan&id=L-000002&version=1");
            assertEquals("Not found", hugo.text(By.id("error-title")), "no proof of it either");
        }
    }

    @Test
    void theLoansTableSearchesByLoanNumberAndBorrowerNameAndExportsWhatTheServicerReads() throws Exception {
        try (Chromium sam = signIn("sam.servicer")) {
            sam.open("/portal/loans.xhtml");
            sam.waitFor(By.id("loans-form:loans"));
            sam.screenshot("loans-servicer");

            search(sam, "l-00002");
            List<String> numbers = sam.texts(By.cssSelector("a.loan-link"));
            assertTrue(numbers.size() >= 10 && numbers.stream().allMatch(n -> n.startsWith("L-00002")), numbers.toString());

            search(sam, "Hugo Home");
            // Other tests of the suite may add borrowers of that name: every row matches, his loan among them.
            List<String> found = sam.texts(By.cssSelector("a.loan-link"));
            assertTrue(found.contains("L-000001"), found.toString());
            assertTrue(sam.texts(By.cssSelector(".borrower-name")).stream().allMatch(n -> n.startsWith("Hugo Home")),
                    sam.texts(By.cssSelector(".borrower-name")).toString());

            sam.driver().findElement(By.id("loans-form:export")).click();
            String csv = Files.readString(sam.downloaded("loans.csv"), StandardCharsets.UTF_8);
            List<String> lines = csv.lines().toList();
            assertEquals(found.size() + 1, lines.size(), "the current view only: " + csv);
            assertTrue(lines.get(0).contains("borrowerName"), lines.get(0));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("L-000001,B-000001,Hugo Homeowner,")), csv);
        }
    }

    @Test
    void theMainFormWorksWithTheKeyboardAlone() {
        try (Chromium sam = signIn("sam.servicer")) {
            sam.open("/portal/loan.xhtml?loan=L-000003");
            WebElement dueDate = sam.waitFor(By.id("payment-form:due-date"));
            dueDate.sendKeys(Keys.chord(Keys.CONTROL, "a"), "2026-12-01");
            List<String> order = List.of("payment-form:outcome_label", "payment-form:amount", "payment-form:received-date",
                    "payment-form:method_label", "payment-form:record");
            for (String expected : order) {
                sam.driver().switchTo().activeElement().sendKeys(Keys.TAB);
                assertEquals(expected, sam.driver().switchTo().activeElement().getAttribute("id"),
                        "the tab order follows the form");
                switch (expected) {
                    case "payment-form:amount" -> active(sam).sendKeys(Keys.chord(Keys.CONTROL, "a"), "1500.25");
                    case "payment-form:received-date" -> active(sam).sendKeys("2026-12-03");
                    case "payment-form:method_label" -> active(sam).sendKeys(Keys.ARROW_DOWN); // ach → check
                    default -> { }
                }
            }
            active(sam).sendKeys(Keys.ENTER);
            assertTrue(sam.messages().contains("Payment recorded in block"), sam.messages());
            JsonNode payment = record("Payment", "PAY-000003-2026-12");
            assertEquals("received", payment.at("/state/status").asText());
            assertEquals("1500.25", payment.at("/state/receivedAmount/amount").asText());
            assertEquals("check", payment.at("/state/method").asText());
            assertEquals("sam.servicer", payment.at("/lineage/principalName").asText());
            sam.screenshot("loan-keyboard-payment");
        }
    }

    @Test
    void invalidInputShowsWhatToFixAndWritesNothing() {
        try (Chromium sam = signIn("sam.servicer")) {
            sam.open("/portal/loan.xhtml?loan=L-000004");
            long plansBefore = plans("L-000004");

            sam.waitFor(By.id("plan-form:plan-payment")).sendKeys("not money");
            sam.driver().findElement(By.id("plan-form:start-date")).sendKeys("2026-12-01");
            sam.driver().findElement(By.id("plan-form:end-date")).sendKeys("2026-11-01");
            sam.driver().findElement(By.id("plan-form:offer")).click();
            sam.ajaxDone();
            assertTrue(fieldMessage(sam, "Monthly payment: 'not money' is not an amount.").isDisplayed());
            sam.screenshot("loan-validation");
            assertEquals(plansBefore, plans("L-000004"), "nothing written");

            sam.driver().findElement(By.id("plan-form:plan-payment")).clear();
            sam.driver().findElement(By.id("plan-form:plan-payment")).sendKeys("900");
            sam.driver().findElement(By.id("plan-form:offer")).click();
            sam.ajaxDone();
            assertTrue(fieldMessage(sam, "End date cannot be before the start date.").isDisplayed());
            assertEquals(plansBefore, plans("L-000004"), "still nothing written");
            assertFalse(sam.driver().getPageSource().contains("Exception"), "no stack trace, ever");
        }
    }

    @Test
    void historyShowsWhoChangedWhatAndTheRecordAsOfABlockAndItsProof() throws Exception {
        try (Chromium olivia = signIn("olivia.owner")) {
            olivia.open("/portal/loan.xhtml?loan=L-000005");
            long before = record("Loan", "L-000005").path("blockHeight").asLong();
            WebElement guidance = olivia.waitFor(By.id("guidance-form:guidance"));
            guidance.clear();
            guidance.sendKeys("Offer a repayment plan before any referral.");
            olivia.driver().findElement(By.id("guidance-form:save-guidance")).click();
            assertTrue(olivia.messages().contains("Guidance updated in block"), olivia.messages());

            olivia.open("/portal/record.xhtml?type=Loan&id=L-000005");
            WebElement newest = olivia.waitFor(By.cssSelector("#history-form\\:version-table tbody tr"));
            assertTrue(newest.getText().contains("loan-owner / olivia.owner"), newest.getText());
            assertTrue(newest.getText().contains("servicingGuidance") && newest.getText()
                    .contains("Offer a repayment plan before any referral."), newest.getText());

            olivia.waitFor(By.id("history-form:as-of-block")).sendKeys(Long.toString(before));
            olivia.driver().findElement(By.id("history-form:show-as-of")).click();
            String asOf = olivia.text(By.id("as-of-fields"));
            assertFalse(asOf.contains("Offer a repayment plan before any referral."), "as it was then: " + asOf);
            olivia.screenshot("record-history");

            olivia.open("/portal/loan.xhtml?loan=L-000005&asOfBlock=" + before);
            assertTrue(olivia.waitFor(By.id("as-of-notice")).isDisplayed());
            assertTrue(olivia.driver().findElements(By.id("guidance-form:guidance")).isEmpty(), "the past is read only");

            olivia.open("/portal/record.xhtml?type=Loan&id=L-000005");
            olivia.waitFor(By.cssSelector("a.proof-link")).click();
            JsonNode proof = Json.parse(Files.readString(olivia.downloaded(".proof.json")));
            assertEquals("meshledger-inclusion-proof/2", proof.path("format").asText());
            assertTrue(proof.at("/digest/signature").asText().length() > 20, "with the signed digest it checks against");
            assertTrue(olivia.text(By.id("verifier-command")).contains("ProofVerifier"));
        }
    }

    /** The message PrimeFaces shows next to an input. */
    private static WebElement fieldMessage(Chromium browser, String text) {
        return browser.waitFor(By.xpath("//*[contains(@class,'ui-message-error')][contains(normalize-space(.), \""
                + text + "\")]"));
    }

    private static WebElement active(Chromium browser) {
        return browser.driver().switchTo().activeElement();
    }

    private long plans(String loanNumber) {
        return Json.parse(web.get(TestStack.portalUrl() + "/api/records/AssistancePlan?filter.loanNumber=" + loanNumber,
                Tokens.system("servicer")).body()).path("total").asLong();
    }

    private static void search(Chromium browser, String text) {
        WebElement search = browser.waitFor(By.id("loans-form:search"));
        search.clear();
        search.sendKeys(text);
        browser.driver().findElement(By.id("loans-form:apply")).click();
        browser.ajaxDone();
    }
}
