package io.workflowanalytics.query.testing;

import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.TestKafka;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.List;

/**
 * The test application's rollup consumers start from the end of the topics (application.properties, %test): what a
 * test produces before they have their partitions would be missed. This waits, once per consumer group, until both
 * channels' members hold all partitions and have had a moment to fetch their positions.
 */
final class ConsumerReady {

    private static volatile String readyGroup;

    private ConsumerReady() {
    }

    static synchronized void await() {
        String group = ConfigProvider.getConfig()
                .getValue("mp.messaging.incoming.analytics-metrics.group.id", String.class);
        if (!group.equals(readyGroup)) {
            TestKafka.awaitAssigned(group, List.of(Topics.ANALYTICS_METRICS, Topics.ANALYTICS_EXECUTIONS));
            readyGroup = group;
        }
    }
}
