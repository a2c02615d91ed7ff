package io.workflowanalytics.query.rollup;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.messaging.LazyAdmin;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far the rollup consumer group is behind on analytics.metrics: the records of the topic it has not committed
 * (a partition it never committed counts whole). Work that wants the rollups complete ({@link RollupCompaction}) or
 * would take the cores a drain is short of ({@link ReadTableMaintenance}) waits while a backlog of more than
 * {@code wa.rollup.backlog-records} drains: one threshold, so that both jobs agree on what a backlog is.
 */
@ApplicationScoped
public class ConsumerLag {

    private final String group;
    private final String topic;
    private final LazyAdmin admin;
    private final long backlogRecords;

    public ConsumerLag(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                       @ConfigProperty(name = "mp.messaging.incoming.analytics-metrics.group.id") String group,
                       @ConfigProperty(name = "mp.messaging.incoming.analytics-metrics.topic") String topic,
                       @ConfigProperty(name = "wa.rollup.backlog-records", defaultValue = "100000")
                       long backlogRecords) {
        if (backlogRecords < 0) {
            throw new IllegalArgumentException("wa.rollup.backlog-records must not be negative");
        }
        this.backlogRecords = backlogRecords;
        this.admin = new LazyAdmin(bootstrapServers, "rollup-lag", Duration.ofSeconds(5));
        this.group = group;
        this.topic = topic;
    }

    /** Whether {@code behind} records (from {@link #metrics}) are a backlog the consumer is draining. */
    public boolean isBacklog(long behind) {
        return behind > backlogRecords;
    }

    /** Records of analytics.metrics not yet committed by the group. */
    public Uni<Long> metrics() {
        return Uni.createFrom().completionStage(() -> admin.get().describeTopics(List.of(topic))
                        .allTopicNames().toCompletionStage())
                .chain(topics -> {
                    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                    topics.get(topic).partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest()));
                    Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
                    ends.keySet().forEach(tp -> starts.put(tp, OffsetSpec.earliest()));
                    return Uni.combine().all().unis(
                                    Uni.createFrom().completionStage(() -> admin.get().listOffsets(ends).all()
                                            .toCompletionStage()),
                                    Uni.createFrom().completionStage(() -> admin.get().listOffsets(starts).all()
                                            .toCompletionStage()),
                                    Uni.createFrom().completionStage(() -> admin.get().listConsumerGroupOffsets(group)
                                            .partitionsToOffsetAndMetadata().toCompletionStage()))
                            .with((end, start, committed) -> {
                                long lag = 0;
                                for (var e : end.entrySet()) {
                                    OffsetAndMetadata at = committed.get(e.getKey());
                                    long from = at != null ? at.offset() : start.get(e.getKey()).offset();
                                    lag += Math.max(0, e.getValue().offset() - from);
                                }
                                return lag;
                            });
                });
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
