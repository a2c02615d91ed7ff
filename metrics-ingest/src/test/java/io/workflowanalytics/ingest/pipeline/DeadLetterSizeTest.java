package io.workflowanalytics.ingest.pipeline;

import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.ingest.pipeline.EventPublisher.Rejected;
import io.workflowanalytics.ingest.validation.RejectReason;
import io.workflowanalytics.ingest.validation.Rejection;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dead letter always fits the broker's limit, key and headers included: one it refused would be retried for ever. */
class DeadLetterSizeTest {

    @Test
    void aHugeKeyIsDroppedAndAHugeValueCutSoThatTheWholeRecordFits() {
        byte[] value = new byte[1_000_000];
        Arrays.fill(value, (byte) 'x');
        String key = "k".repeat(150_000);
        ProducerRecord<String, byte[]> letter = only(new InputRecord(Topics.WORKFLOW_METRICS, 0, 7, key, value));
        assertNull(letter.key());
        assertTrue(size(letter) <= EventPublisher.MAX_DEAD_LETTER_BYTES, size(letter) + " bytes");
        assertEquals("1000000", header(letter, Topics.DLQ_ORIGINAL_SIZE_HEADER));
        assertArrayEquals(Arrays.copyOf(value, letter.value().length), letter.value(), "the head of the original");
    }

    @Test
    void anOrdinaryRecordIsDeadLetteredAsItCame() {
        byte[] value = "{\"id\":1".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> letter = only(new InputRecord(Topics.WORKFLOW_METRICS, 2, 9, "wf-1", value));
        assertEquals("wf-1", letter.key());
        assertArrayEquals(value, letter.value());
        assertNull(letter.headers().lastHeader(Topics.DLQ_ORIGINAL_SIZE_HEADER));
        assertEquals("malformed_json", header(letter, Topics.DLQ_REASON_HEADER));
    }

    private static ProducerRecord<String, byte[]> only(InputRecord record) {
        List<ProducerRecord<String, byte[]>> letters = EventPublisher.deadLetters(List.of(new Rejected(record,
                Rejection.of(RejectReason.MALFORMED_JSON, "record", "is not valid JSON"))));
        assertEquals(1, letters.size());
        return letters.get(0);
    }

    private static int size(ProducerRecord<String, byte[]> r) {
        int size = (r.key() == null ? 0 : r.key().getBytes(StandardCharsets.UTF_8).length) + r.value().length;
        for (Header h : r.headers()) {
            size += h.key().length() + h.value().length;
        }
        return size;
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
