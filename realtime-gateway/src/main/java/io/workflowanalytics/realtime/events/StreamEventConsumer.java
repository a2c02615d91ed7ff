package io.workflowanalytics.realtime.events;

import com.fasterxml.jackson.databind.JsonNode;
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

    private final ObjectMapper json = EventJson.mapper();
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
                JsonNode metric = read(r);
                if (metric != null) {
                    batch.publish(workflowId(r, metric), StreamEventType.METRIC_UPDATE, metric,
                            instant(metric, "timestamp", now), now);
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
        JsonNode node = read(r);
        ExecutionEvent event = node == null ? null : convert(r, node, ExecutionEvent.class);
        if (event == null || event.type() == null || event.workflowId() == null) {
            return;
        }
        StreamEventType type = StreamEventType.valueOf(event.type().name());
        String workflowId = event.workflowId().toLowerCase(java.util.Locale.ROOT);
        batch.publish(workflowId, type, node, event.occurredAt() != null ? event.occurredAt() : now, now);
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
            JsonNode node = read(r);
            AlertEvent event = node == null ? null : convert(r, node, AlertEvent.class);
            if (event == null || event.alert() == null || event.type() == null || event.workflowId() == null) {
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
            hub.publish(workflowId, type, node, at, now);
            if (event.type() == AlertEventType.ALERT_TRIGGERED) {
                // The spec's SSE stream also names these two kinds of alert as events of their own.
                if (event.alert().type() == AlertType.PERFORMANCE_DEGRADATION) {
                    hub.publish(workflowId, StreamEventType.PERFORMANCE_DEGRADATION, node, at, now);
                } else if (event.alert().type() == AlertType.COST_THRESHOLD_EXCEEDED) {
                    hub.publish(workflowId, StreamEventType.COST_THRESHOLD_EXCEEDED, node, at, now);
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
            JsonNode node = read(r);
            AnomalyEvent event = node == null ? null : convert(r, node, AnomalyEvent.class);
            if (event == null || event.workflowId() == null) {
                continue;
            }
            String workflowId = event.workflowId().toLowerCase(java.util.Locale.ROOT);
            Instant at = event.occurredAt() != null ? event.occurredAt() : now;
            hub.publish(workflowId, StreamEventType.ANOMALY_DETECTED, node, at, now);
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
            JsonNode node = read(r);
            HealthEvent event = node == null ? null : convert(r, node, HealthEvent.class);
            if (event != null && event.component() != null && event.component().componentName() != null) {
                health.report(event, now);
            }
        }
    }

    private JsonNode read(ConsumerRecord<String, byte[]> r) {
        try {
            JsonNode node = json.readTree(r.value());
            if (node != null && node.isObject()) {
                return node;
            }
            throw new IllegalArgumentException("not a JSON object");
        } catch (Exception e) {
            skip(r, e);
            return null;
        }
    }

    private <T> T convert(ConsumerRecord<String, byte[]> r, JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (Exception e) {
            skip(r, e);
            return null;
        }
    }

    private void skip(ConsumerRecord<String, byte[]> r, Exception e) {
        unreadable.increment();
        LOG.errorf("skipping unreadable record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
    }

    private static String workflowId(ConsumerRecord<String, byte[]> r, JsonNode payload) {
        String id = payload.path("workflowId").asText(null);
        return (id != null ? id : r.key()).toLowerCase(java.util.Locale.ROOT);
    }

    private static Instant instant(JsonNode node, String field, Instant fallback) {
        try {
            String text = node.path(field).asText(null);
            return text == null ? fallback : IsoInstants.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
