package io.workflowanalytics.query.testing;

import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        if (group.equals(readyGroup)) {
            return;
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP))) {
            int partitions = admin.describeTopics(List.of(Topics.ANALYTICS_METRICS, Topics.ANALYTICS_EXECUTIONS))
                    .allTopicNames().get().values().stream().mapToInt(t -> t.partitions().size()).sum();
            while (true) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                int assigned = d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
                if (assigned >= partitions) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("consumer group " + group + " holds " + assigned + " partitions");
                }
                Thread.sleep(200);
            }
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("waiting for the rollup consumers", e);
        }
        readyGroup = group;
    }
}
