package org.meshledger.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.meshledger.ledger.admission.Admission;
import org.meshledger.ledger.admission.WorkKind;
import org.meshledger.ledger.json.Json;
import org.meshledger.ledger.query.RecordView;

/** An export streams page by page and gives its admission back however it ends. */
class DataProductsExportTest {

    private final Admission admission = Admission.withDefaults();

    private static RecordView record(String id, String name) {
        return new RecordView("Borrower", id, 1, Json.parse("{\"fullName\": \"" + name + "\"}"), false, "h",
                "servicer", 1, null, null, null);
    }

    @Test
    void pagesAreReadOneAtATimeAsTheyAreWritten() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> read = new ArrayList<>();
        List<Integer> writtenBeforeRead = new ArrayList<>();
        List<RecordView> first = new ArrayList<>(List.of(record("B-1", "Ada"), record("B-2", "=cmd")));
        DataProductsResource.write(out, true, List.of("fullName"), first, true, (page, sink) -> {
            read.add(page);
            writtenBeforeRead.add(out.size());
            sink.accept(record("B-" + (page + 2), "Page " + page));
            return page < 3;
        }, admission.enter(WorkKind.EXPORT, "servicer/jane"));

        assertEquals(List.of(1, 2, 3), read);
        // Each page was written out before the next was read.
        assertEquals(true, writtenBeforeRead.get(0) > 0 && writtenBeforeRead.get(1) > writtenBeforeRead.get(0));
        assertEquals("id,version,fullName\r\nB-1,1,Ada\r\nB-2,1,'=cmd\r\nB-3,1,Page 1\r\nB-4,1,Page 2\r\n"
                + "B-5,1,Page 3\r\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(0, admission.running(WorkKind.EXPORT));
    }

    @Test
    void aSinglePageReadsNoMoreAndNdjsonHasALinePerRecord() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataProductsResource.write(out, false, List.of("fullName"), new ArrayList<>(List.of(record("B-1", "Ada"))),
                false, (page, sink) -> {
                    throw new AssertionError("no second page");
                }, admission.enter(WorkKind.EXPORT, "servicer/jane"));
        assertEquals("{\"id\":\"B-1\",\"version\":1,\"state\":{\"fullName\":\"Ada\"}}\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(0, admission.running(WorkKind.EXPORT));
    }

    @Test
    void theAdmissionIsReleasedWhenAPageFailsOrTheClientIsGone() {
        assertThrows(IllegalStateException.class, () -> DataProductsResource.write(new ByteArrayOutputStream(), true,
                List.of("fullName"), new ArrayList<>(), true, (page, sink) -> {
                    throw new IllegalStateException("the database went away");
                }, admission.enter(WorkKind.EXPORT, "servicer/jane")));
        assertEquals(0, admission.running(WorkKind.EXPORT));

        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        assertThrows(IOException.class, () -> DataProductsResource.write(gone, false, List.of("fullName"),
                new ArrayList<>(List.of(record("B-1", "Ada"))), true, (page, sink) -> {
                    sink.accept(record("B-2", "x".repeat(20_000)));
                    return false;
                }, admission.enter(WorkKind.EXPORT, "servicer/jane")));
        assertEquals(0, admission.running(WorkKind.EXPORT));
    }
}
