package org.meshledger.stack;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The demo mortgage network's records, generated deterministically (the same seed and size give
 * the same records, byte for byte): loans with their borrowers and properties and a year of monthly
 * payments as of {@link #AS_OF}, delinquencies where payments were missed, assistance plans in
 * several states, pools of securities holding most loans, and their monthly disclosures. Each
 * transaction carries an idempotency key derived from what it writes, so loading again writes
 * nothing. Borrower {@code B-000001} is the demo home owner {@code hugo.homeowner}'s.
 */
public final class DemoNetworkData {

    /** The demo's "today": payments, delinquencies and disclosures are dated up to here. */
    public static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);
    static final int MONTHS_OF_PAYMENTS = 12;
    static final int POOLS = 5;
    static final int INCLUSIONS_PER_TRANSACTION = 500;

    /** A transaction to submit, by which party's system. */
    public record Submission(String party, String idempotencyKey, ObjectNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FIRST = {"Ada", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hugo", "Ines",
        "Jonas", "Keiko", "Liam", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara"};
    private static final String[] LAST = {"Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes",
        "Ivanova", "Jones", "Kim", "Lopez", "Moreau", "Novak", "Okafor", "Patel", "Quint", "Rossi", "Silva", "Tanaka"};
    private static final String[] CITIES = {"Springfield", "Riverton", "Lakeside", "Fairview", "Greenville", "Madison",
        "Georgetown", "Salem", "Franklin", "Clinton"};
    private static final String[] STREETS = {"Oak", "Maple", "Cedar", "Pine", "Elm", "Birch", "Willow", "Chestnut"};
    private static final String[] PRODUCTS = {"fixed-30", "fixed-15", "arm-5-1", "arm-7-1", "fha-30", "va-30"};

    private DemoNetworkData() {
    }

    /** Every transaction of the demo network, in the order to submit them. */
    public static List<Submission> transactions(int loans, long seed) {
        List<Submission> transactions = new ArrayList<>();
        generate(loans, seed, transactions::add);
        return transactions;
    }

    /** How many transactions {@link #generate} hands over. */
    public static int count(int loans, long seed) {
        int[] count = {0};
        generate(loans, seed, submission -> count[0]++);
        return count[0];
    }

    /**
     * Hands over every transaction of the demo network, in the order to submit them, one at a time:
     * a network of 100,000 loans is gigabytes of JSON, never held at once.
     */
    public static void generate(int loans, long seed, java.util.function.Consumer<Submission> sink) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> loanNumbers = new ArrayList<>();
        List<BigDecimal> balances = new ArrayList<>();
        for (int n = 1; n <= loans; n++) {
            sink.accept(loan(n, random, loanNumbers, balances));
        }
        guidance(loanNumbers, random).forEach(sink);
        pools(loanNumbers, balances, random).forEach(sink);
    }

    private static Submission loan(int n, SplittableRandom random, List<String> loanNumbers, List<BigDecimal> balances) {
        String number = String.format("%06d", n);
        String borrowerId = "B-" + number;
        String propertyId = "P-" + number;
        String loanNumber = "L-" + number;
        ArrayNode ops = JSON.createArrayNode();

        ObjectNode borrower = JSON.createObjectNode();
        String first = n == 1 ? "Hugo" : FIRST[random.nextInt(FIRST.length)];
        String last = n == 1 ? "Homeowner" : LAST[random.nextInt(LAST.length)];
        borrower.put("borrowerId", borrowerId);
        borrower.put("fullName", first + " " + last);
        borrower.put("taxId", String.format("%03d-%02d-%04d", 100 + random.nextInt(800), 10 + random.nextInt(89),
                1000 + random.nextInt(9000)));
        borrower.put("dateOfBirth", LocalDate.of(1950 + random.nextInt(50), 1 + random.nextInt(12),
                1 + random.nextInt(28)).toString());
        borrower.put("email", (first + "." + last + n).toLowerCase() + "@example.org");
        borrower.put("phone", String.format("+1555%07d", random.nextInt(10_000_000)));
        String city = CITIES[random.nextInt(CITIES.length)];
        ObjectNode address = JSON.createObjectNode();
        address.put("line1", (1 + random.nextInt(999)) + " " + STREETS[random.nextInt(STREETS.length)] + " Street");
        address.put("city", city);
        address.put("postalCode", String.format("%05d", random.nextInt(100_000)));
        address.put("country", "US");
        borrower.set("mailingAddress", address);
        borrower.set("annualIncome", money(BigDecimal.valueOf(40_000 + random.nextInt(160_000))));
        borrower.put("creditScore", 580 + random.nextInt(250));
        ops.add(op("put", "Borrower", borrowerId, borrower));

        BigDecimal appraised = BigDecimal.valueOf(150_000 + random.nextInt(650_000));
        ObjectNode property = JSON.createObjectNode();
        property.put("propertyId", propertyId);
        property.set("address", address.deepCopy());
        property.put("propertyType", random.nextInt(4) == 0 ? "condominium" : "single-family");
        property.put("occupancy", "primary-residence");
        property.set("appraisedValue", money(appraised));
        ops.add(op("put", "Property", propertyId, property));

        LocalDate originated = AS_OF.minusMonths(13 + random.nextInt(60)).withDayOfMonth(1);
        BigDecimal principal = appraised.multiply(BigDecimal.valueOf(0.8)).setScale(0, RoundingMode.HALF_UP);
        int term = random.nextInt(3) == 0 ? 180 : 360;
        BigDecimal rate = BigDecimal.valueOf(3_000 + random.nextInt(4_500), 3);
        BigDecimal monthly = principal.multiply(rate).divide(BigDecimal.valueOf(1200), 2, RoundingMode.HALF_UP)
                .add(principal.divide(BigDecimal.valueOf(term), 2, RoundingMode.HALF_UP));
        // One loan in twelve has missed its last payments; some of those have an assistance plan.
        int missed = random.nextInt(12) == 0 ? 1 + random.nextInt(3) : 0;
        BigDecimal balance = principal.multiply(BigDecimal.valueOf(0.97)).setScale(2, RoundingMode.HALF_UP);
        for (int m = MONTHS_OF_PAYMENTS; m >= 1; m--) {
            LocalDate due = AS_OF.minusMonths(m);
            boolean isMissed = m <= missed;
            ObjectNode payment = JSON.createObjectNode();
            String paymentId = "PAY-" + number + "-" + due.toString().substring(0, 7);
            payment.put("paymentId", paymentId);
            payment.put("loanNumber", loanNumber);
            payment.put("dueDate", due.toString());
            payment.set("scheduledAmount", money(monthly));
            payment.put("status", isMissed ? "missed" : "received");
            if (!isMissed) {
                payment.set("receivedAmount", money(monthly));
                payment.put("receivedDate", due.plusDays(random.nextInt(10)).toString());
                payment.put("method", random.nextInt(5) == 0 ? "check" : "ach");
            }
            ops.add(op("put", "Payment", paymentId, payment));
        }
        String status = "current";
        if (missed > 0) {
            String delinquencyId = "DLQ-" + number;
            ObjectNode delinquency = JSON.createObjectNode();
            delinquency.put("delinquencyId", delinquencyId);
            delinquency.put("loanNumber", loanNumber);
            delinquency.put("startDate", AS_OF.minusMonths(missed).toString());
            delinquency.put("daysPastDue", missed * 30);
            delinquency.set("amountPastDue", money(monthly.multiply(BigDecimal.valueOf(missed))));
            String[] plans = {null, "offered", "accepted", "declined", "active"};
            String plan = plans[random.nextInt(plans.length)];
            delinquency.put("status", plan != null && (plan.equals("accepted") || plan.equals("active"))
                    ? "in-assistance" : "open");
            ops.add(op("put", "Delinquency", delinquencyId, delinquency));
            status = "delinquent";
            if (plan != null) {
                ObjectNode assistance = JSON.createObjectNode();
                String planId = "AP-" + number;
                assistance.put("planId", planId);
                assistance.put("loanNumber", loanNumber);
                assistance.put("kind", random.nextBoolean() ? "forbearance" : "repayment-plan");
                assistance.put("status", plan);
                assistance.put("offeredDate", AS_OF.minusDays(20).toString());
                if (!plan.equals("offered")) {
                    assistance.put("decisionDate", AS_OF.minusDays(10).toString());
                }
                assistance.set("monthlyPayment", money(monthly.divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP)));
                assistance.put("terms", "Reduced payments for six months, then the missed amount spread over twelve.");
                ops.add(op("put", "AssistancePlan", planId, assistance));
                if (plan.equals("active")) {
                    status = "in-forbearance";
                }
            }
        }
        ObjectNode loan = JSON.createObjectNode();
        loan.put("loanNumber", loanNumber);
        loan.put("borrowerId", borrowerId);
        loan.put("propertyId", propertyId);
        loan.put("productType", PRODUCTS[random.nextInt(PRODUCTS.length)]);
        loan.set("originalPrincipal", money(principal));
        loan.set("unpaidPrincipal", money(balance));
        loan.put("interestRate", rate.stripTrailingZeros().toPlainString());
        loan.put("termMonths", term);
        loan.set("monthlyPayment", money(monthly));
        loan.put("originationDate", originated.toString());
        loan.put("maturityDate", originated.plusMonths(term).toString());
        loan.put("nextDueDate", AS_OF.toString());
        loan.put("status", status);
        ops.insert(2, op("put", "Loan", loanNumber, loan));
        loanNumbers.add(loanNumber);
        balances.add(balance);
        return submission("servicer", "demo-loan-" + number, ops);
    }

    /** The loan owner's guidance on one loan in ten. */
    private static List<Submission> guidance(List<String> loanNumbers, SplittableRandom random) {
        List<Submission> transactions = new ArrayList<>();
        String[] texts = {"Offer a repayment plan before any referral.", "Call the borrower weekly while delinquent.",
            "Escalate to the loan owner before a modification."};
        for (int i = 0; i < loanNumbers.size(); i += 10) {
            ObjectNode patch = JSON.createObjectNode();
            patch.put("servicingGuidance", texts[random.nextInt(texts.length)]);
            ArrayNode ops = JSON.createArrayNode();
            ObjectNode op = JSON.createObjectNode();
            op.put("op", "update");
            op.put("type", "Loan");
            op.put("id", loanNumbers.get(i));
            op.set("patch", patch);
            ops.add(op);
            transactions.add(submission("loan-owner", "demo-guidance-" + loanNumbers.get(i), ops));
        }
        return transactions;
    }

    /** The securitizer's pools: securities, the loans they hold (four in five), monthly disclosures. */
    private static List<Submission> pools(List<String> loanNumbers, List<BigDecimal> balances, SplittableRandom random) {
        List<Submission> transactions = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        for (int p = 0; p < POOLS; p++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < loanNumbers.size(); i++) {
            if (random.nextInt(5) != 0) {
                members.get(random.nextInt(POOLS)).add(i);
            }
        }
        for (int p = 0; p < POOLS; p++) {
            String securityId = String.format("S-%02d", p + 1);
            BigDecimal pooled = BigDecimal.ZERO;
            for (int i : members.get(p)) {
                pooled = pooled.add(balances.get(i));
            }
            ArrayNode ops = JSON.createArrayNode();
            ObjectNode security = JSON.createObjectNode();
            security.put("securityId", securityId);
            security.put("name", "MeshLedger Demo Trust 2025-" + (p + 1));
            security.put("cusip", String.format("MLDT%04d%c", p + 1, (char) ('A' + p)));
            security.put("poolType", p % 2 == 0 ? "agency-mbs" : "private-label");
            security.put("issueDate", "2025-0" + (p + 1) + "-15");
            security.set("originalBalance", money(pooled));
            security.set("currentBalance", money(pooled.multiply(BigDecimal.valueOf(0.96))));
            security.put("couponRate", (4 + p % 3) + ".5");
            security.put("status", "open");
            ops.add(op("put", "Security", securityId, security));
            List<ArrayNode> inclusions = new ArrayList<>();
            for (int i : members.get(p)) {
                if (inclusions.isEmpty() || inclusions.get(inclusions.size() - 1).size() == INCLUSIONS_PER_TRANSACTION) {
                    inclusions.add(JSON.createArrayNode());
                }
                String inclusionId = "INC-" + securityId + "-" + loanNumbers.get(i);
                ObjectNode inclusion = JSON.createObjectNode();
                inclusion.put("inclusionId", inclusionId);
                inclusion.put("securityId", securityId);
                inclusion.put("loanNumber", loanNumbers.get(i));
                inclusion.put("includedDate", "2025-0" + (p + 1) + "-15");
                inclusion.set("balanceAtInclusion", money(balances.get(i)));
                inclusions.get(inclusions.size() - 1).add(op("put", "LoanInclusion", inclusionId, inclusion));
            }
            for (int m = 3; m >= 1; m--) {
                String period = AS_OF.minusMonths(m).toString().substring(0, 7);
                ObjectNode disclosure = JSON.createObjectNode();
                String disclosureId = "D-" + securityId + "-" + period;
                disclosure.put("disclosureId", disclosureId);
                disclosure.put("securityId", securityId);
                disclosure.put("period", period);
                disclosure.put("status", m == 1 ? "draft" : "published");
                if (m != 1) {
                    disclosure.put("publishedDate", AS_OF.minusMonths(m - 1).plusDays(4).toString());
                }
                disclosure.put("loanCount", members.get(p).size());
                disclosure.set("aggregateBalance", money(pooled));
                disclosure.put("delinquencyRate", (1 + random.nextInt(6)) + "." + random.nextInt(10));
                ops.add(op("put", "Disclosure", disclosureId, disclosure));
            }
            transactions.add(submission("securitizer", "demo-pool-" + securityId, ops));
            for (int k = 0; k < inclusions.size(); k++) {
                transactions.add(submission("securitizer", "demo-pool-" + securityId + "-loans-" + (k + 1),
                        inclusions.get(k)));
            }
        }
        return transactions;
    }

    private static ObjectNode op(String kind, String type, String id, ObjectNode data) {
        ObjectNode op = JSON.createObjectNode();
        op.put("op", kind);
        op.put("type", type);
        op.put("id", id);
        op.set("data", data);
        return op;
    }

    private static Submission submission(String party, String key, ArrayNode ops) {
        ObjectNode body = JSON.createObjectNode();
        body.put("idempotencyKey", key);
        body.put("validFrom", AS_OF.atStartOfDay().toString() + ":00Z");
        body.set("operations", ops);
        return new Submission(party, key, body);
    }

    private static ObjectNode money(BigDecimal amount) {
        ObjectNode money = JSON.createObjectNode();
        money.put("amount", amount.setScale(2, RoundingMode.HALF_UP).toPlainString());
        money.put("currency", "USD");
        return money;
    }
}
