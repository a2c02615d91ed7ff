package io.workflowanalytics.system.ingest;

import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.simulator.WorkloadSimulator;
import io.workflowanalytics.system.CpuMeter;
import io.workflowanalytics.system.RawStore;
import io.workflowanalytics.system.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Issue 3's benchmark: the sustained rate from the workload simulator through Kafka and metrics-ingest to committed
 * rows, next to a plain COPY of comparable rows into the same table in the same run; then produce-to-row latency at
 * 10,000 metrics a second, and the service's peak RSS. Run on demand:
 * {@code ./mvnw -B verify -pl system-tests -Dgroups=benchmark -Dwa.bench.excluded=none -Dtest=IngestThroughputBenchmark}
 * (after a full build). Prints its figures; docs/benchmarks.md records them with the machine and date.
 */
@Tag("benchmark")
class IngestThroughputBenchmark {

    private static final int COPY_ROWS = Integer.getInteger("wa.bench.copy-rows", 500_000);
    private static final int TARGET_RATE = Integer.getInteger("wa.bench.rate", 60_000);
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("wa.bench.seconds", 40));
    private static final int LATENCY_RATE = 10_000;
    private static final Duration LATENCY_LOAD = Duration.ofSeconds(30);

    @BeforeAll
    static void infrastructure() {
        new RealInfrastructure().start();
    }

    @Test
    void endToEndRateAgainstPlainCopyAndLatencyAt10kPerSecond() throws Exception {
        IngestTopics topics = IngestTopics.create();
        try (ServiceProcess ingest = new ServiceProcess("metrics-ingest", 18182, overrides(topics)).start()) {
            // After the service started: its migrations create the table (a fresh database has none before).
            double copyRate = copyRate();
            Thread.sleep(3000); // consumer group joins
            CpuMeter cpu = new CpuMeter(Map.of("metrics-ingest", ingest.pid(),
                    "simulator (this JVM)", ProcessHandle.current().pid()));
            Load load = run(topics, TARGET_RATE, LOAD);
            String cores = cpu.summary();
            // CPU time per stored metric: steadier across runs than rates, which follow whatever else the machine does.
            Map<String, Double> used = cpu.cpuSecondsSinceStart();
            double ingestMicros = used.get("metrics-ingest") / load.rows * 1e6;
            double pgMicros = used.get("postgresql") / load.rows * 1e6;
            double e2e = load.rows / load.seconds;
            Latency latency = latency(topics);
            String report = String.format(Locale.ROOT, """
                    metrics-ingest benchmark (%s, %d cores)
                      plain COPY into ingest.analytics_metrics : %,.0f rows/s (%,d rows)
                      simulator produced                       : %,d metrics at %,.0f/s (target %,d/s)
                      end to end, simulator → Kafka → rows     : %,.0f metrics/s (%,d rows in %.1f s)
                      ratio end-to-end / COPY                  : %.2f
                      backlog drain after production ended     : %,.0f metrics/s
                      cores during the load and its drain      : %s
                      CPU per stored metric                    : metrics-ingest %.1f µs, postgresql %.1f µs
                      produce → committed row at %,d/s         : p50 %.0f ms, p99 %.0f ms (%,d rows)
                      metrics-ingest peak RSS                  : %.0f MiB
                    """, Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                    copyRate, COPY_ROWS, load.produced, load.produced / load.produceSeconds, TARGET_RATE, e2e,
                    load.rows, load.seconds, e2e / copyRate, load.drain, cores, ingestMicros, pgMicros, LATENCY_RATE, latency.p50, latency.p99, latency.rows,
                    ingest.peakRssMiB());
            System.out.println(report);
            java.nio.file.Path out = java.nio.file.Path.of("target/benchmarks/ingest.txt");
            java.nio.file.Files.createDirectories(out.getParent());
            java.nio.file.Files.writeString(out, report);
        } finally {
            topics.delete();
        }
    }

    /** The benchmark's topics; {@code -Dwa.bench.in-flight=N} overrides the service's metrics batches in flight. */
    private static Map<String, String> overrides(IngestTopics topics) {
        Map<String, String> overrides = new java.util.HashMap<>(topics.overrides(5000));
        String inFlight = System.getProperty("wa.bench.in-flight");
        if (inFlight != null) {
            overrides.put("wa.ingest.metrics-batches-in-flight", inFlight);
        }
        return overrides;
    }

    /** rows/seconds: first produce to last row; drain: rows per second after production ended (no simulator). */
    private record Load(long produced, double produceSeconds, long rows, double seconds, double drain,
                        List<String> workflows, Instant start) {
    }

    private record Latency(double p50, double p99, long rows) {
    }

    /** The simulator at {@code rate} metrics/s for {@code duration}; waits until every metric is a row. */
    private static Load run(IngestTopics topics, int rate, Duration duration) throws Exception {
        long seed = System.nanoTime();
        var options = new WorkloadSimulator.Options("127.0.0.1:9092", 5, seed, 0, rate, duration, true, null,
                topics.metrics(), topics.executions(), 1.0);
        Instant start = Instant.now();
        long produced;
        double produceSeconds;
        List<String> workflows;
        try (WorkloadSimulator simulator = new WorkloadSimulator(options)) {
            workflows = simulator.workflowIds();
            long t0 = System.nanoTime();
            simulator.live(start);
            produceSeconds = (System.nanoTime() - t0) / 1e9;
            produced = simulator.sent();
        }
        String filter = "workflow_id IN (" + workflows.stream().map(w -> "'" + w + "'").collect(Collectors.joining(","))
                + ") AND \"timestamp\" >= '" + start.minusSeconds(1) + "'";
        long rowsWhenProduced = RawStore.count("SELECT count(*) FROM analytics_metrics WHERE " + filter);
        long producedAt = System.nanoTime();
        Instant deadline = Instant.now().plusSeconds(300);
        long rows = 0;
        while (Instant.now().isBefore(deadline) && (rows = RawStore.count("SELECT count(*) FROM analytics_metrics WHERE "
                + filter)) < produced) {
            Thread.sleep(250);
        }
        // Throughput over the whole run: first produce to the last committed row.
        double seconds = RawStore.count("SELECT (extract(epoch FROM max(created_at)) * 1000)::bigint FROM "
                + "analytics_metrics WHERE " + filter) / 1000.0 - start.toEpochMilli() / 1000.0;
        double drainSeconds = (System.nanoTime() - producedAt) / 1e9;
        double drain = rows > rowsWhenProduced + 10_000 ? (rows - rowsWhenProduced) / drainSeconds : Double.NaN;
        return new Load(produced, produceSeconds, rows, seconds, drain, workflows, start);
    }

    private static Latency latency(IngestTopics topics) throws Exception {
        Load load = run(topics, LATENCY_RATE, LATENCY_LOAD);
        String filter = "workflow_id IN (" + load.workflows.stream().map(w -> "'" + w + "'")
                .collect(Collectors.joining(",")) + ") AND \"timestamp\" >= '" + load.start.minusSeconds(1) + "'";
        try (Connection c = RawStore.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),"
                        + " count(*) FROM (SELECT extract(epoch FROM created_at - \"timestamp\") * 1000 AS ms "
                        + "FROM analytics_metrics WHERE " + filter + ") l")) {
            rs.next();
            return new Latency(rs.getDouble(1), rs.getDouble(2), rs.getLong(3));
        }
    }

    /** COPY of rows shaped like the simulator's into the same partitioned table, then removed again. */
    private static double copyRate() throws Exception {
        String workflow = UUID.randomUUID().toString();
        Instant now = Instant.now();
        StringBuilder csv = new StringBuilder(COPY_ROWS * 200);
        for (int i = 0; i < COPY_ROWS; i++) {
            csv.append(UUID.randomUUID()).append(',').append(workflow).append(",execution_time,")
                    .append(100 + i % 900).append('.').append(i % 1000).append(',')
                    .append(now.minusMillis(i)).append(",\"{\"\"nodeId\"\": \"\"n").append(i % 7)
                    .append("\"\", \"\"nodeType\"\": \"\"http_request\"\", \"\"environment\"\": \"\"production\"\"}\",")
                    .append("\"{simulator}\",runtime_engine,raw\n");
        }
        try (Connection c = RawStore.connect()) {
            long t0 = System.nanoTime();
            ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI().copyIn(
                    "COPY analytics_metrics (id, workflow_id, metric_type, value, \"timestamp\", dimensions, tags, "
                            + "source, aggregation_level) FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM analytics_metrics WHERE workflow_id = '" + workflow + "'");
            }
            return COPY_ROWS / seconds;
        }
    }
}
