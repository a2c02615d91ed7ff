package io.workflowanalytics.common.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A real producer and reader on the local broker, for tests that drive or observe the services through Kafka. */
public final class TestKafka {

    public static final String BOOTSTRAP = "127.0.0.1:9092";

    private TestKafka() {
    }

    public static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends every record and waits for the broker's acknowledgements. */
    public static void send(String topic, List<Map.Entry<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (Map.Entry<String, byte[]> r : records) {
                acks.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue())));
            }
            for (var ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic, e);
        }
    }

    /**
     * Waits until the consumer group's members hold every partition of the topics, then a moment longer for them to
     * fetch their positions: a group that starts from the end of its topics misses what is produced before that.
     */
    public static void awaitAssigned(String group, Collection<String> topics) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP))) {
            int partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .mapToInt(t -> t.partitions().size()).sum();
            while (true) {
                int assigned = assignedPartitions(admin, group);
                if (assigned >= partitions) {
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("consumer group " + group + " holds " + assigned + " of "
                            + partitions + " partitions");
                }
                Thread.sleep(200);
            }
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("waiting for consumer group " + group, e);
        }
    }

    /** Partitions the group's members hold; 0 while the group does not exist yet (its first member still joins). */
    private static int assignedPartitions(Admin admin, String group) throws Exception {
        try {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return d.members().stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    /** A reader positioned at the current end of every partition of the topic: it sees what comes after now. */
    public static Reader readFromEnd(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return new Reader(consumer);
    }

    /** Reads records after the position it was created at. */
    public static final class Reader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        Reader(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        /** Polls until {@code expected} matching records arrived or the timeout passed, then a little longer to
         * catch extras; returns every matching record read. */
        public List<ConsumerRecord<String, byte[]>> read(Predicate<ConsumerRecord<String, byte[]>> matching,
                                                        int expected, Duration timeout) {
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            Instant settle = null;
            while (Instant.now().isBefore(deadline) && (settle == null || Instant.now().isBefore(settle))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (matching.test(r)) {
                        found.add(r);
                    }
                }
                if (settle == null && found.size() >= expected) {
                    settle = Instant.now().plusSeconds(1);
                }
            }
            return found;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
