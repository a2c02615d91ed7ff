package io.workflowanalytics.realtime.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.workflowanalytics.common.events.AlertEvent;
import io.workflowanalytics.common.events.AlertEventType;
import io.workflowanalytics.common.events.AlertType;
import io.workflowanalytics.common.events.AnomalyEvent;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.IsoInstants;
import io.workflowanalytics.common.events.StreamEventType;
import io.workflowanalytics.realtime.health.SystemHealthService;
import io.workflowanalytics.realtime.live.LiveState;
import io.workflowanalytics.realtime.live.MonitoringEvent;
import io.workflowanalytics.realtime.stream.StreamHub;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consumes every event of analytics.metrics, .executions, .alerts and .anomalies into the stream hub and the live
 * state, and analytics.health into the system health. Each replica has its own consumer group (application.properties), so every replica sees every event. A
 * channel's batches are handled one at a time on a worker thread, in partition order, which keeps each workflow's
 * events of one topic in the order they were produced. The alerts channel reads its topic from the start at boot
 * to learn the open alerts; transitions older than the boot are applied to the live state but not streamed.
 * A record that cannot be read is counted and logged (these topics are written by our own services after
 * validation) and never stops the channel.
 */
@ApplicationScoped
public class StreamEventConsumer {

    private static final Logger LOG = Logger.getLogger(StreamEventConsumer.class);
    private static final int SEEN_ALERT_EVENTS = 10_000;

    /** Trailing tokens fail: a record's bytes go into the envelopes as they are, so they must be one JSON value. */
    private final ObjectMapper json = EventJson.mapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final StreamHub hub;
    private final LiveState live;
    private final SystemHealthService health;
    private final Instant bootedAt = Instant.now();
    private final Counter unreadable;
    /** Alert transitions already streamed: the outbox may publish one twice after a crash. */
    private final Map<String, Boolean> seenAlertEvents = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_ALERT_EVENTS;
        }
    };

    public StreamEventConsumer(StreamHub hub, LiveState live, SystemHealthService health, MeterRegistry registry) {
        this.hub = hub;
        this.live = live;
        this.health = health;
        this.unreadable = registry.counter("wa.realtime.records.unreadable");
    }

    @Incoming("stream-metrics")
    @Blocking
    public void metrics(ConsumerRecords<String, byte[]> records) {
        Instant now = Instant.now();
        try (StreamHub.Batch batch = hub.batch()) {
            for (ConsumerRecord<String, byte[]> r : records) {
                MetricHead metric = metricHead(r);
                if (metric != null) {
                    batch.publish(metric.workflowId(), StreamEventType.METRIC_UPDATE, metric.payload(),
                            instant(metric.timestamp(), now), now);
                }
            }
        }
    }

    @Incoming("stream-executions")
    @Blocking
    public void executions(ConsumerRecords<String, byte[]> records) {
        Instant now = Instant.now();
        try (StreamHub.Batch batch = hub.batch()) {
            for (ConsumerRecord<String, byte[]> r : records) {
                execution(batch, r, now);
            }
        }
    }

    private void execution(StreamHub.Batch batch, ConsumerRecord<String, byte[]> r, Instant now) {
        ExecutionEvent event = read(r, ExecutionEvent.class);
        byte[] payload = event == null ? null : payload(r);
        if (payload == null || event.type() == null || event.workflowId() == null) {
            return;
        }
        StreamEventType type = StreamEventType.valueOf(event.type().name());
        String workflowId = event.workflowId().toLowerCase(java.util.Locale.ROOT);
        batch.publish(workflowId, type, payload, event.occurredAt() != null ? event.occurredAt() : now, now);
        live.execution(event, now);
        if (event.type() != ExecutionEventType.EXECUTION_STARTED) {
            boolean failed = event.type() == ExecutionEventType.EXECUTION_FAILED;
            live.event(workflowId, new MonitoringEvent(event.eventId(), type.wire(), event.finishedAt(),
                    failed ? "warning" : "info", failed
                    ? "execution " + event.executionId() + " failed" + (event.errorType() == null ? ""
                            : " (" + event.errorType().wire() + ")")
                    : "execution " + event.executionId() + " completed in " + Math.round(
                            event.durationMs() == null ? 0 : event.durationMs()) + " ms"), now);
        }
    }

    @Incoming("stream-alerts")
    @Blocking
    public void alerts(ConsumerRecords<String, byte[]> records) {
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
            AlertEvent event = read(r, AlertEvent.class);
            byte[] payload = event == null ? null : payload(r);
            if (payload == null || event.alert() == null || event.type() == null || event.workflowId() == null) {
                continue;
            }
            if (event.eventId() != null && seenAlertEvents.put(event.eventId(), Boolean.TRUE) != null) {
                continue;
            }
            String workflowId = event.workflowId().toLowerCase(java.util.Locale.ROOT);
            live.alert(workflowId, event.alert(), now);
            Instant at = event.occurredAt() != null ? event.occurredAt() : now;
            if (at.isBefore(bootedAt)) {
                continue; // history read at boot: state only
            }
            StreamEventType type = StreamEventType.valueOf(event.type().name());
            hub.publish(workflowId, type, payload, at, now);
            if (event.type() == AlertEventType.ALERT_TRIGGERED) {
                // The spec's SSE stream also names these two kinds of alert as events of their own.
                if (event.alert().type() == AlertType.PERFORMANCE_DEGRADATION) {
                    hub.publish(workflowId, StreamEventType.PERFORMANCE_DEGRADATION, payload, at, now);
                } else if (event.alert().type() == AlertType.COST_THRESHOLD_EXCEEDED) {
                    hub.publish(workflowId, StreamEventType.COST_THRESHOLD_EXCEEDED, payload, at, now);
                }
            }
            live.event(workflowId, new MonitoringEvent(event.eventId(), type.wire(), at,
                    event.alert().severity() == null ? null : event.alert().severity().wire(),
                    event.alert().title()), now);
        }
    }

    @Incoming("stream-anomalies")
    @Blocking
    public void anomalies(ConsumerRecords<String, byte[]> records) {
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
            AnomalyEvent event = read(r, AnomalyEvent.class);
            byte[] payload = event == null ? null : payload(r);
            if (payload == null || event.workflowId() == null) {
                continue;
            }
            String workflowId = event.workflowId().toLowerCase(java.util.Locale.ROOT);
            Instant at = event.occurredAt() != null ? event.occurredAt() : now;
            hub.publish(workflowId, StreamEventType.ANOMALY_DETECTED, payload, at, now);
            live.event(workflowId, new MonitoringEvent(event.eventId(), StreamEventType.ANOMALY_DETECTED.wire(), at,
                    event.anomaly() != null && event.anomaly().severity() != null
                            ? event.anomaly().severity().wire() : null, "anomaly detected"), now);
        }
    }

    @Incoming("stream-health")
    @Blocking
    public void health(ConsumerRecords<String, byte[]> records) {
        Instant now = Instant.now();
        for (ConsumerRecord<String, byte[]> r : records) {
            HealthEvent event = read(r, HealthEvent.class);
            if (event != null && event.component() != null && event.component().componentName() != null) {
                health.report(event, now);
            }
        }
    }

    /** The record as one event; null (counted and logged) when it is not one JSON object of that shape. */
    private <T> T read(ConsumerRecord<String, byte[]> r, Class<T> type) {
        try {
            T event = json.readValue(r.value(), type);
            if (event == null) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return event;
        } catch (Exception e) {
            skip(r, e);
            return null;
        }
    }

    /**
     * The record's JSON as the stream event's payload: the bytes as they came, spliced into the envelope, unless they
     * span lines (an SSE data line ends there), which are written again on one line. Only for records read whole
     * already, so the bytes are known to be one well-formed JSON object.
     */
    private byte[] payload(ConsumerRecord<String, byte[]> r) {
        byte[] value = r.value();
        for (byte b : value) {
            if (b == '\n' || b == '\r') {
                try {
                    return json.writeValueAsBytes(json.readTree(value));
                } catch (Exception e) {
                    skip(r, e);
                    return null;
                }
            }
        }
        return value;
    }

    /** What a metric's stream event needs of the record: its workflow, its timestamp and its JSON. */
    private record MetricHead(String workflowId, String timestamp, byte[] payload) {
    }

    /**
     * Reads a metric's workflowId and timestamp in one pass of the token stream, without building a tree or binding
     * the record (the metrics channel carries most of the gateway's events), checking on the way that the record is
     * one well-formed JSON object. The workflow defaults to the record's key.
     */
    private MetricHead metricHead(ConsumerRecord<String, byte[]> r) {
        try (JsonParser parser = json.getFactory().createParser(r.value())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String workflowId = null;
            String timestamp = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() == JsonToken.VALUE_STRING && field.equals("workflowId")) {
                    workflowId = parser.getText();
                } else if (parser.currentToken() == JsonToken.VALUE_STRING && field.equals("timestamp")) {
                    timestamp = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON value");
            }
            if (workflowId == null) {
                workflowId = r.key();
            }
            if (workflowId == null) {
                throw new IllegalArgumentException("no workflowId and no record key");
            }
            byte[] payload = payload(r);
            return payload == null ? null
                    : new MetricHead(workflowId.toLowerCase(java.util.Locale.ROOT), timestamp, payload);
        } catch (Exception e) {
            skip(r, e);
            return null;
        }
    }

    private void skip(ConsumerRecord<String, byte[]> r, Exception e) {
        unreadable.increment();
        LOG.errorf("skipping unreadable record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
    }

    private static Instant instant(String text, Instant fallback) {
        try {
            return text == null ? fallback : IsoInstants.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
