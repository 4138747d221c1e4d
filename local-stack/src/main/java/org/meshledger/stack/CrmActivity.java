package org.meshledger.stack;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * People at work in the demo's CRMs, so that a sync can be watched: now and then a servicer's user
 * marks a payment missed in Salesforce, or the loan owner's user writes guidance on a loan in
 * Dynamics 365; the ledger, the portal and the other party's system follow.
 */
final class CrmActivity implements Runnable, AutoCloseable {

    private final CrmFakes crms;
    private final Duration every;
    private final Consumer<String> say;
    private final Random random = new Random(20261101L);
    private final Thread thread;
    private volatile boolean stopped;

    CrmActivity(CrmFakes crms, Duration every, Consumer<String> say) {
        this.crms = crms;
        this.every = every;
        this.say = say;
        this.thread = new Thread(this, "demo-crm-activity");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        int turn = 0;
        while (!stopped) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (turn++ % 2 == 0) {
                    missPayment();
                } else {
                    writeGuidance();
                }
            } catch (RuntimeException e) {
                say.accept("[crm] " + e.getMessage());
            }
        }
    }

    private void missPayment() {
        List<String> payments = crms.salesforce().externalIds("Payment__c");
        if (payments.isEmpty()) {
            return;
        }
        String payment = payments.get(random.nextInt(payments.size()));
        crms.salesforce().userChange("Payment__c", payment, JsonNodeFactory.instance.objectNode()
                .put("Status__c", "Missed"));
        say.accept("[crm] Salesforce: a servicer's user marked " + payment + " missed; the loan owner's Dynamics follows: "
                + crms.dynamics().url() + "/_fake/records/new_payments");
    }

    private void writeGuidance() {
        List<String> loans = crms.dynamics().keys("new_loans");
        if (loans.isEmpty()) {
            return;
        }
        String loan = loans.get(random.nextInt(loans.size()));
        crms.dynamics().userChange("new_loans", loan, JsonNodeFactory.instance.objectNode().put("new_guidance",
                "Call the borrower before the next due date (demo, " + java.time.LocalTime.now().withNano(0) + ")"));
        say.accept("[crm] Dynamics 365: the loan owner's user wrote guidance on " + loan + "; the servicer's Salesforce "
                + "follows: " + crms.salesforce().url() + "/_fake/records/Loan__c");
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
