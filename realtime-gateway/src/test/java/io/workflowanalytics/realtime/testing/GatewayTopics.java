package io.workflowanalytics.realtime.testing;

import io.workflowanalytics.common.events.AlertEvent;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.AnomalyEvent;
import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.TestKafka;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;
import java.util.Map;

/** Produces to the topics the gateway consumes, once its consumers hold their partitions. */
public final class GatewayTopics {

    public static final List<String> TOPICS = List.of(Topics.ANALYTICS_METRICS, Topics.ANALYTICS_EXECUTIONS,
            Topics.ANALYTICS_ALERTS, Topics.ANALYTICS_ANOMALIES, Topics.ANALYTICS_HEALTH);

    private static volatile String readyGroup;

    private GatewayTopics() {
    }

    /** The test application's consumers read from the end of the topics: wait until they hold every partition. */
    public static synchronized void awaitConsumers() {
        String group = ConfigProvider.getConfig().getValue("wa.realtime.consumer-group", String.class);
        if (!group.equals(readyGroup)) {
            TestKafka.awaitAssigned(group, TOPICS);
            readyGroup = group;
        }
    }

    /** Sends the events, keyed as their producers key them (workflowId; health events by service). */
    public static void produce(String topic, List<?> events) {
        TestKafka.send(topic, events.stream().map(e -> Map.entry(keyOf(e), EventJson.toBytes(e))).toList());
    }

    private static String keyOf(Object event) {
        if (event instanceof AnalyticsMetric m) {
            return m.workflowId();
        }
        if (event instanceof ExecutionEvent e) {
            return e.workflowId();
        }
        if (event instanceof AlertEvent a) {
            return a.workflowId();
        }
        if (event instanceof AnomalyEvent a) {
            return a.workflowId();
        }
        if (event instanceof HealthEvent h) {
            return h.service();
        }
        throw new IllegalArgumentException(event.getClass().getName());
    }
}
