package io.workflowanalytics.system.ingest;

import io.workflowanalytics.common.testing.TestKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Private input topics and consumer group for a metrics-ingest process under test, so that it reads exactly what
 * the test produced and nothing of the shared topics' history.
 */
public record IngestTopics(String metrics, String executions, String group) {

    public static IngestTopics create() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        IngestTopics topics = new IngestTopics("st-metrics-" + suffix, "st-executions-" + suffix, "st-ingest-" + suffix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(topics.metrics(), 6, (short) 1),
                    new NewTopic(topics.executions(), 6, (short) 1))).all().get();
        }
        return topics;
    }

    public void delete() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP))) {
            admin.deleteTopics(List.of(metrics, executions)).all().get();
        }
    }

    /** Configuration overrides that point metrics-ingest at these topics and this group. */
    public Map<String, String> overrides(int maxPollRecords) {
        return Map.of(
                "mp.messaging.incoming.workflow-metrics.topic", metrics,
                "mp.messaging.incoming.workflow-executions.topic", executions,
                "mp.messaging.incoming.workflow-metrics.group.id", group,
                "mp.messaging.incoming.workflow-executions.group.id", group,
                "mp.messaging.incoming.workflow-metrics.max.poll.records", Integer.toString(maxPollRecords));
    }
}
