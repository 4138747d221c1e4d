package org.meshledger.web.portal;

import java.io.Serializable;

/** One due date on a loan's payment timeline: scheduled, received (in part or whole) or missed. */
public final class TimelineEntry implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String dueDate;
    private final String status;
    private final String scheduled;
    private final String received;
    private final String receivedDate;

    TimelineEntry(String dueDate, String status, String scheduled, String received, String receivedDate) {
        this.dueDate = dueDate;
        this.status = status;
        this.scheduled = scheduled;
        this.received = received;
        this.receivedDate = receivedDate;
    }

    public String getDueDate() {
        return dueDate;
    }

    public String getStatus() {
        return status;
    }

    public String getScheduled() {
        return scheduled;
    }

    public String getReceived() {
        return received;
    }

    public String getReceivedDate() {
        return receivedDate;
    }
}
