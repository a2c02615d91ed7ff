package io.workflowanalytics.simulator;

import io.workflowanalytics.common.events.EventJson;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A realistic runtime-engine producer for the local run, the end-to-end tests and the benchmarks. It models several
 * workflows with node graphs, power/regular/occasional users, regions, devices, versions and environments, daily
 * and weekly seasonality, and three injected incidents (an error spike, a slow API node, a cost jump) whose ground
 * truth it writes out. It backfills history with historic timestamps as fast as Kafka takes it, then streams live.
 *
 * <pre>
 * java … WorkloadSimulator [--bootstrap 127.0.0.1:9092] [--workflows 5] [--seed 42] [--backfill-days 0]
 *                          [--rate 10] [--duration 0] [--metrics-only] [--ground-truth FILE]
 *                          [--metrics-topic workflow.metrics] [--executions-topic workflow.executions]
 *                          [--backfill-scale 1]
 * </pre>
 * {@code --rate} is executions per second (or metrics per second with {@code --metrics-only}); {@code --duration}
 * is how long to stream live (e.g. 10m; 0 streams until stopped, a negative value not at all);
 * {@code --backfill-scale} multiplies the backfilled volume (0.06 gives about 20 million metrics for 90 days of 50
 * workflows, the analytics-query benchmark's history).
 */
public final class WorkloadSimulator implements AutoCloseable {

    private final Options options;
    private final Random random;
    private final List<WorkflowModel> workflows = new ArrayList<>();
    private final List<Incident> incidents = new ArrayList<>();
    private final ExecutionGenerator generator;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong sent = new AtomicLong();

    public record Options(String bootstrap, int workflows, long seed, int backfillDays, double rate,
                          Duration duration, boolean metricsOnly, Path groundTruth, String metricsTopic,
                          String executionsTopic, double backfillScale) {

        public static Options parse(String[] args) {
            Map<String, String> o = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--metrics-only")) {
                    o.put("metrics-only", "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    o.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            String d = o.getOrDefault("duration", "0");
            Duration duration = d.startsWith("-") ? Duration.ofSeconds(-1)
                    : d.equals("0") ? Duration.ZERO : io.workflowanalytics.common.time.TimeRanges.relative("duration", d);
            return new Options(o.getOrDefault("bootstrap", "127.0.0.1:9092"),
                    Integer.parseInt(o.getOrDefault("workflows", "5")), Long.parseLong(o.getOrDefault("seed", "42")),
                    Integer.parseInt(o.getOrDefault("backfill-days", "0")),
                    Double.parseDouble(o.getOrDefault("rate", "10")), duration,
                    Boolean.parseBoolean(o.getOrDefault("metrics-only", "false")),
                    o.containsKey("ground-truth") ? Path.of(o.get("ground-truth")) : null,
                    o.getOrDefault("metrics-topic", Topics.WORKFLOW_METRICS),
                    o.getOrDefault("executions-topic", Topics.WORKFLOW_EXECUTIONS),
                    Double.parseDouble(o.getOrDefault("backfill-scale", "1")));
        }
    }

    public WorkloadSimulator(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        for (int i = 0; i < options.workflows(); i++) {
            workflows.add(WorkflowModel.create(i, random));
        }
        this.generator = new ExecutionGenerator(random, incidents);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    List<WorkflowModel> workflows() {
        return workflows;
    }

    public List<String> workflowIds() {
        return workflows.stream().map(WorkflowModel::id).toList();
    }

    /**
     * Places the three incidents: inside the backfilled history when there is one (20, 14 and 8 hours ago), else
     * shortly after the live stream starts.
     */
    void planIncidents(Instant now) {
        boolean historic = options.backfillDays() > 0;
        Instant spike = historic ? now.minus(Duration.ofHours(20)) : now.plus(Duration.ofMinutes(2));
        Instant slow = historic ? now.minus(Duration.ofHours(14)) : now.plus(Duration.ofMinutes(4));
        Instant cost = historic ? now.minus(Duration.ofHours(8)) : now.plus(Duration.ofMinutes(6));
        Duration length = historic ? Duration.ofMinutes(45) : Duration.ofMinutes(5);
        WorkflowModel w0 = workflows.get(0);
        WorkflowModel w1 = workflows.get(Math.min(1, workflows.size() - 1));
        WorkflowModel w2 = workflows.get(Math.min(2, workflows.size() - 1));
        String spikeNode = w0.nodes().get(Math.min(1, w0.nodes().size() - 1)).nodeId();
        String slowNode = w1.nodes().get(Math.min(1, w1.nodes().size() - 1)).nodeId();
        incidents.add(new Incident(Incident.ERROR_SPIKE, w0.id(), spikeNode, spike, spike.plus(length), 45,
                "node " + spikeNode + " of " + w0.name() + " fails about 45% of the time"));
        incidents.add(new Incident(Incident.SLOW_API, w1.id(), slowNode, slow, slow.plus(length), 4,
                "node " + slowNode + " of " + w1.name() + " runs 4 times slower"));
        incidents.add(new Incident(Incident.COST_JUMP, w2.id(), null, cost, cost.plus(length.multipliedBy(2)), 3,
                "third-party service cost of " + w2.name() + " triples"));
    }

    /** Every minute of the last {@code backfillDays} days, with seasonal volume, as fast as Kafka takes it. */
    long backfill(Instant now) {
        Instant from = now.minus(Duration.ofDays(options.backfillDays())).truncatedTo(ChronoUnit.MINUTES);
        long executions = 0;
        for (Instant minute = from; minute.isBefore(now.truncatedTo(ChronoUnit.MINUTES)); minute = minute.plusSeconds(60)) {
            double season = ExecutionGenerator.seasonality(minute);
            for (WorkflowModel w : workflows) {
                int count = poisson(w.executionsPerMinute() * season * options.backfillScale());
                for (int i = 0; i < count; i++) {
                    sendExecution(w, minute.plusMillis(random.nextInt(60_000)));
                }
                send(options.metricsTopic(), w.id(), EventJson.toBytes(generator.throughput(w, minute, count)));
                executions += count;
            }
        }
        producer.flush();
        return executions;
    }

    /** Streams at {@code rate} per second until the duration ends (or forever when it is zero). */
    public void live(Instant start) throws InterruptedException {
        Instant end = options.duration().isZero() ? Instant.MAX : start.plus(options.duration());
        double owed = 0;
        long tickNanos = 50_000_000;
        long next = System.nanoTime();
        Instant lastThroughput = start.truncatedTo(ChronoUnit.MINUTES);
        Map<String, Integer> perMinute = new LinkedHashMap<>();
        while (Instant.now().isBefore(end)) {
            owed += options.rate() * tickNanos / 1e9;
            int due = (int) owed;
            owed -= due;
            Instant now = Instant.now();
            for (int i = 0; i < due; i++) {
                WorkflowModel w = workflows.get(random.nextInt(workflows.size()));
                if (options.metricsOnly()) {
                    send(options.metricsTopic(), w.id(), EventJson.toBytes(generator.nodeLatency(w, now)));
                } else {
                    sendExecution(w, now);
                    perMinute.merge(w.id(), 1, Integer::sum);
                }
            }
            Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
            if (!options.metricsOnly() && minute.isAfter(lastThroughput)) {
                for (WorkflowModel w : workflows) {
                    send(options.metricsTopic(), w.id(), EventJson.toBytes(
                            generator.throughput(w, lastThroughput, perMinute.getOrDefault(w.id(), 0))));
                }
                perMinute.clear();
                lastThroughput = minute;
            }
            next += tickNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        producer.flush();
    }

    private void sendExecution(WorkflowModel w, Instant t) {
        for (ExecutionEvent e : generator.execution(w, t)) {
            send(options.executionsTopic(), w.id(), EventJson.toBytes(e));
        }
    }

    private void send(String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
            if (error != null) {
                System.err.println("send failed: " + error.getMessage());
            }
        });
        sent.incrementAndGet();
    }

    public long sent() {
        return sent.get();
    }

    void writeGroundTruth() throws IOException {
        if (options.groundTruth() == null) {
            return;
        }
        Map<String, Object> truth = new LinkedHashMap<>();
        truth.put("seed", options.seed());
        truth.put("workflows", workflows.stream().map(w -> Map.of("id", w.id(), "name", w.name(),
                "nodes", w.nodes().stream().map(WorkflowModel.Node::nodeId).toList())).toList());
        truth.put("incidents", incidents);
        Files.createDirectories(options.groundTruth().toAbsolutePath().getParent());
        Files.writeString(options.groundTruth(), EventJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(truth));
    }

    private int poisson(double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > l);
        return k - 1;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        try (WorkloadSimulator simulator = new WorkloadSimulator(options)) {
            Instant now = Instant.now();
            simulator.planIncidents(now);
            simulator.writeGroundTruth();
            for (WorkflowModel w : simulator.workflows()) {
                System.out.printf("workflow %s %s (%d nodes, %d users)%n", w.id(), w.name(), w.nodes().size(),
                        w.users().size());
            }
            if (options.backfillDays() > 0) {
                long t0 = System.nanoTime();
                long executions = simulator.backfill(now);
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("backfilled %d days: %d executions, %d records in %.1f s (%.0f records/s)%n",
                        options.backfillDays(), executions, simulator.sent(), seconds, simulator.sent() / seconds);
            }
            if (!options.duration().isNegative()) {
                System.out.printf("streaming %.1f %s/s%s%n", options.rate(),
                        options.metricsOnly() ? "metrics" : "executions",
                        options.duration().isZero() ? " until stopped" : " for " + options.duration());
                simulator.live(Instant.now());
            }
            System.out.printf("sent %d records%n", simulator.sent());
        }
    }
}
