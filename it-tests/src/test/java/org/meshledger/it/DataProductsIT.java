package org.meshledger.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/** The data product catalog and its exports through the API, as each party may see them. */
@MeshLedgerIT
class DataProductsIT {

    private final WebClient web = new WebClient();
    private final String servicer = Tokens.system("servicer");
    private final String securitizer = Tokens.system("securitizer");
    private final String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();

    @Test
    void eachTypePerOwnerIsADescribedProductWithPortsServiceLevelsAndLineage() {
        String borrower = "B-D" + run;
        web.commit(servicer, "{\"operations\": [{\"op\": \"create\", \"type\": \"Borrower\", \"id\": \"" + borrower
                + "\", \"data\": {\"borrowerId\": \"" + borrower + "\", \"fullName\": \"Dora Data\", \"taxId\": \"987-65-4321\"}}, "
                + LedgerApiIT.createLoan("L-D" + run, borrower, null) + "]}");

        JsonNode loan = web.json(servicer, "/api/data-products/servicer/Loan");
        assertEquals("mortgage-servicing.servicer.Loan", loan.get("id").asText());
        assertEquals("servicer", loan.at("/owner/party").asText());
        assertEquals("A mortgage loan.", loan.get("description").asText());
        assertTrue(loan.at("/schema/id").asText().endsWith("#/$defs/Loan"));
        assertEquals(List.of("current", "snapshot", "events", "export-csv", "export-json"), names(loan.get("outputPorts")));
        assertEquals("meshledger.mortgage-servicing.servicer.records", loan.at("/outputPorts/2/address").asText(),
                "the asking party's own topic");
        assertTrue(loan.at("/serviceLevels/measured/volume/records").asLong() >= 1);
        assertEquals(100.0, loan.at("/serviceLevels/measured/completeness/percent").asDouble());
        assertTrue(loan.at("/serviceLevels/measured/freshness/blocksPublished").asLong() > 0, loan.toString());
        assertTrue(loan.at("/serviceLevels/measured/timeliness/versions").asLong() > 0);
        assertTrue(names(loan.at("/lineage/references")).contains("mortgage-servicing.servicer.Borrower"));

        JsonNode asSecuritizer = web.json(securitizer, "/api/data-products/servicer/Borrower");
        assertEquals("meshledger.mortgage-servicing.securitizer.records", asSecuritizer.at("/outputPorts/2/address").asText());
        assertFalse(names(asSecuritizer.get("fields"), "name").contains("taxId"), "it reads no tax id: " + asSecuritizer);
        assertFalse(names(asSecuritizer.get("fields"), "name").contains("fullName"));
        assertEquals(404, web.get(TestStack.portalUrl() + "/api/data-products/securitizer/Nothing", servicer).statusCode());
    }

    @Test
    void theCatalogIsSearchedByNameOwnerFieldAndClassificationUnderEachPartysAccess() {
        web.commit(servicer, "{\"operations\": [" + LedgerApiIT.createLoan("L-S" + run, "B-S" + run, null) + "]}");
        assertTrue(names(web.json(servicer, "/api/data-products?field=taxId"), "type").contains("Borrower"));
        assertFalse(names(web.json(securitizer, "/api/data-products?field=taxId"), "type").contains("Borrower"),
                "a field it may not read does not find the product");
        List<String> pii = names(web.json(servicer, "/api/data-products?classification=pii"), "type");
        assertTrue(pii.contains("Borrower") && !pii.contains("Security"), pii.toString());
        assertEquals(List.of("Security"), names(web.json(securitizer, "/api/data-products?name=security&owner=securitizer"),
                "type").stream().distinct().toList());
        List<String> homeOwner = names(web.json(Tokens.user("home-owner", "viewer"), "/api/data-products"), "type");
        assertFalse(homeOwner.contains("Security"), "types it may not read are no products for it: " + homeOwner);
        JsonNode homeLoans = web.json(Tokens.user("home-owner", "viewer"), "/api/data-products/servicer/Loan");
        assertTrue(homeLoans.at("/serviceLevels/measured/timeliness").isMissingNode(),
                "no figures over records it may not read: " + homeLoans);
    }

    @Test
    void anExportHasTheProductsRecordsWithTheFieldsTheAskerReads() {
        String borrower = "B-X" + run;
        web.commit(servicer, "{\"operations\": [{\"op\": \"create\", \"type\": \"Borrower\", \"id\": \"" + borrower
                + "\", \"data\": {\"borrowerId\": \"" + borrower + "\", \"fullName\": \"Xena Export\", \"taxId\": \"111-22-3333\"}}]}");
        HttpResponse<String> csv = web.get(TestStack.portalUrl() + "/api/data-products/servicer/Borrower/export?format=csv",
                securitizer);
        assertEquals(200, csv.statusCode(), csv.body());
        String header = csv.body().lines().findFirst().orElse("");
        assertTrue(header.startsWith("id,version,borrowerId"), header);
        assertFalse(header.contains("taxId") || csv.body().contains("111-22-3333") || csv.body().contains("Xena"), header);
        assertTrue(csv.body().contains(borrower));
        HttpResponse<String> json = web.get(TestStack.portalUrl()
                + "/api/data-products/servicer/Borrower/export?format=json", servicer);
        assertEquals(200, json.statusCode(), json.body());
        assertTrue(json.body().lines().map(Json::parse).anyMatch(line -> line.get("id").asText().equals(borrower)
                && line.at("/state/taxId").asText().equals("111-22-3333")));
        HttpResponse<String> bad = web.get(TestStack.portalUrl()
                + "/api/data-products/servicer/Borrower/export?format=xml", servicer);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("format"), bad.body());
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.isTextual() ? n.asText() : n.get("name").asText()));
        return names;
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get(field).asText()));
        return names;
    }


}
