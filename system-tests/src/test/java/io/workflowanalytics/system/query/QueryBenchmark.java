package io.workflowanalytics.system.query;

import io.workflowanalytics.common.events.Topics;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestKafka;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.simulator.WorkloadSimulator;
import io.workflowanalytics.system.RawStore;
import io.workflowanalytics.system.ServiceProcess;
import io.workflowanalytics.system.ingest.IngestTopics;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Issue 4's benchmark. The simulator backfills {@code wa.bench.days} days of {@code wa.bench.workflows} workflows
 * (about 20 million metrics at the defaults) through metrics-ingest while analytics-query is stopped; then
 * analytics-query starts on that backlog alone, which measures how fast rollup maintenance goes; then every view is
 * timed over 90 days, uncached (a different range each call) and cached, next to the same answer computed by plain
 * SQL over the raw table. Run on demand after a full build:
 * {@code ./mvnw -B verify -pl system-tests -Dgroups=benchmark -Dwa.bench.excluded=none -Dtest=QueryBenchmark}.
 */
@Tag("benchmark")
class QueryBenchmark {

    private static final int DAYS = Integer.getInteger("wa.bench.days", 90);
    private static final int WORKFLOWS = Integer.getInteger("wa.bench.workflows", 50);
    private static final double SCALE = Double.parseDouble(System.getProperty("wa.bench.scale", "0.06"));
    private static final int CALLS = Integer.getInteger("wa.bench.calls", 40);
    /** Rounds of every view, computed then cached, before the first is measured. */
    private static final int WARM_UP_ROUNDS = Integer.getInteger("wa.bench.warm-up-rounds", 40);
    private static final long SEED = Long.getLong("wa.bench.seed", 4242);
    private static final int PORT = 18283;
    /** Time the views again over the history a previous run left (no backfill, no drain). */
    private static final boolean VIEWS_ONLY = Boolean.getBoolean("wa.bench.views-only");
    /** Only the live-density drain, on the history a previous run left. */
    private static final boolean LIVE_ONLY = Boolean.getBoolean("wa.bench.live-only");
    /** Metrics of the live-density drain: a minute of a platform producing 50,000 a second. */
    private static final int LIVE_METRICS = Integer.getInteger("wa.bench.live-metrics", 3_000_000);
    private static final int LIVE_SAMPLE = 200_000;

    @BeforeAll
    static void infrastructure() {
        new RealInfrastructure().start();
    }

    @Test
    void viewsOverNinetyDaysFromRollupsAgainstRawSql() throws Exception {
        String group = "bench-query-" + UUID.randomUUID().toString().substring(0, 8);
        Map<TopicPartition, Long> before = endOffsets();
        commitOffsets(group, before);
        if (LIVE_ONLY) {
            write(String.format(Locale.ROOT, "analytics-query benchmark (%s, %d cores), live density only%n  %s%n",
                    Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                    liveDensityDrain(group)));
            return;
        }
        if (VIEWS_ONLY) {
            // The history is in the rollups already: a new group reading the topics from the start (the service's
            // default) would re-read every record of the earlier run, as duplicates, while the views are timed. It
            // starts at their end, committed, so that the service sees itself caught up.
            commitOffsets(group, endOffsets());
            try (ServiceProcess query = new ServiceProcess("analytics-query", PORT, Map.of(
                    "mp.messaging.incoming.analytics-metrics.group.id", group,
                    "mp.messaging.incoming.analytics-executions.group.id", group,
                    "mp.messaging.incoming.analytics-metrics.auto.offset.reset", "latest",
                    "mp.messaging.incoming.analytics-executions.auto.offset.reset", "latest",
                    "wa.rollup.compaction.delay", "5s", "wa.rollup.compaction.every", "15s",
                    "wa.analysis.enabled", "false")).start()) {
                String compacted = awaitCompacted();
                String vacuum = awaitVacuumed(Instant.now().minusSeconds(1));
                report("views only, over the history of an earlier run; " + compacted + "; " + vacuum,
                        views(workflowIds()), query);
            }
            return;
        }

        // 1. Backfill through metrics-ingest (analytics-query not running).
        IngestTopics topics = IngestTopics.create();
        long ingestStart = System.nanoTime();
        List<String> workflows;
        try (ServiceProcess ingest = new ServiceProcess("metrics-ingest", 18183, topics.overrides(5000)).start()) {
            Thread.sleep(3000);
            WorkloadSimulator.main(new String[] {"--workflows", Integer.toString(WORKFLOWS), "--seed",
                    Long.toString(SEED), "--backfill-days", Integer.toString(DAYS), "--backfill-scale",
                    Double.toString(SCALE), "--duration", "-1", "--metrics-topic", topics.metrics(),
                    "--executions-topic", topics.executions()});
            awaitQuiet();
        } finally {
            topics.delete();
        }
        double ingestSeconds = (System.nanoTime() - ingestStart) / 1e9;
        Map<TopicPartition, Long> after = endOffsets();
        long metrics = 0;
        long executions = 0;
        for (var e : after.entrySet()) {
            long n = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (e.getKey().topic().equals(Topics.ANALYTICS_METRICS)) {
                metrics += n;
            } else {
                executions += n;
            }
        }

        // 2. analytics-query drains that backlog alone: the rollup maintenance rate.
        try (ServiceProcess query = new ServiceProcess("analytics-query", PORT, Map.of(
                "mp.messaging.incoming.analytics-metrics.group.id", group,
                "mp.messaging.incoming.analytics-executions.group.id", group,
                "wa.rollup.batches-in-flight", System.getProperty("wa.bench.in-flight", "2"),
                "wa.rollup.compaction.delay", "5s", "wa.rollup.compaction.every", "15s",
                "wa.analysis.enabled", "false")).start()) {
            long drainStart = System.nanoTime();
            awaitCaughtUp(group, after);
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            workflows = workflowIds();
            String compacted = awaitCompacted();
            String vacuum = awaitVacuumed(Instant.now().minusSeconds(1));

            String table = views(workflows);
            double rss = query.peakRssMiB();
            query.close();
            String live = liveDensityDrain(group);
            String report = String.format(Locale.ROOT, """
                    analytics-query benchmark (%s, %d cores)
                      history: %d days × %d workflows, %,d metrics and %,d execution events via metrics-ingest in %.0f s (%,.0f metrics/s)
                      rollup maintenance, backlog drained alone : %,.0f metrics/s (%,d in %.1f s)
                      after the drain: %s; %s
                      %s
                      views over 90 days, %d calls each after %d warm-up rounds of them all (uncached = a new range per call; hit = served by Redis):
                    %s  analytics-query peak RSS (backfill drain and views): %.0f MiB
                    """, Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                    DAYS, WORKFLOWS, metrics, executions, ingestSeconds, metrics / ingestSeconds,
                    metrics / drainSeconds, metrics, drainSeconds, compacted, vacuum, live, CALLS, WARM_UP_ROUNDS, table, rss);
            write(report);
        }
    }

    private static void report(String title, String table, ServiceProcess query) throws Exception {
        write(String.format(Locale.ROOT, """
                analytics-query benchmark (%s, %d cores), %s
                  views over 90 days, %d calls each after %d warm-up rounds of them all (uncached = a new range per call; hit = served by Redis):
                %s  analytics-query peak RSS: %.0f MiB
                """, Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(), title,
                CALLS, WARM_UP_ROUNDS, table, query.peakRssMiB()));
    }

    private static void write(String report) throws Exception {
        System.out.println(report);
        Path out = Path.of("target/benchmarks/query.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** The views over the last 90 days, uncached and cached, next to the raw-SQL route: the report's table. */
    private static String views(List<String> workflows) throws Exception {
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minus(90, ChronoUnit.DAYS);
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "  %-12s %10s %10s %10s %10s %12s %12s %8s%n", "view",
                "unc p50", "unc p95", "hit p50", "hit p95", "raw SQL p50", "raw SQL p95", "ratio"));
        List<String> views = List.of("dashboard", "performance", "usage", "errors", "costs", "metrics-api");
        // The code every view shares (HTTP, security, Redis, JSON) is warmed up by all of them before any is
        // measured: with only its own warm-up, the first view measured paid for the JIT of the shared path (its cached
        // p50 was twice the last one's; the order of the list decided it).
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            for (String view : views) {
                String wf = workflows.get(round % workflows.size());
                call(view, wf, start.minus(2000 + round, ChronoUnit.MINUTES), end);
                call(view, wf, start.minus(2000 + round, ChronoUnit.MINUTES), end);
            }
        }
        for (String view : views) {
            // Warm-up of both paths (computed and served from Redis): JIT, pools, statement caches.
            for (int i = 0; i < 10; i++) {
                call(view, workflows.get(i % workflows.size()), start.minus(1000 + i, ChronoUnit.MINUTES), end);
                call(view, workflows.get(0), start.minus(1000, ChronoUnit.MINUTES), end);
            }
            Histogram uncached = new Histogram(3);
            Histogram cached = new Histogram(3);
            for (int i = 0; i < CALLS; i++) {
                String wf = workflows.get(i % workflows.size());
                // A range one minute different from every other call: never in the cache.
                Instant s = start.minus(i + 1, ChronoUnit.MINUTES);
                uncached.recordValue(call(view, wf, s, end));
            }
            for (int i = 0; i < CALLS; i++) {
                cached.recordValue(call(view, workflows.get(0), start.minus(1, ChronoUnit.MINUTES), end));
            }
            Histogram raw = rawRoute(view, workflows, start, end);
            table.append(String.format(Locale.ROOT, "  %-12s %8.1fms %8.1fms %8.2fms %8.2fms %10.0fms %10.0fms %7.0fx%n",
                    view, ms(uncached, 50), ms(uncached, 95), ms(cached, 50), ms(cached, 95), ms(raw, 50),
                    ms(raw, 95), ms(raw, 50) / Math.max(0.001, ms(uncached, 50))));
        }
        return table.toString();
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Map<String, String> TOKENS = new HashMap<>();

    /** Microseconds for one call of a view over one kept-alive connection, which must answer 200. */
    private static long call(String view, String workflow, Instant start, Instant end) throws Exception {
        String token = TOKENS.computeIfAbsent(workflow, TestTokens::viewerOf);
        String uri = view.equals("metrics-api")
                ? "http://127.0.0.1:" + PORT + "/api/v1/analytics/workflows/" + workflow + "/metrics?start_date=" + start
                + "&end_date=" + end + "&granularity=day&metrics=execution_time,execution_count,cost"
                : "http://127.0.0.1:" + PORT + "/api/workflows/" + workflow + "/analytics/" + view + "?start=" + start
                + "&end=" + end;
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + token)
                .GET().build();
        long t0 = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long micros = (System.nanoTime() - t0) / 1000;
        if (response.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": "
                    + new String(response.body()));
        }
        return micros;
    }

    /** The same answer by plain SQL over the raw tables ({@link RawRoute}); microseconds per view answer. */
    private static Histogram rawRoute(String view, List<String> workflows, Instant start, Instant end)
            throws Exception {
        List<RawRoute.Query> queries = RawRoute.of(view);
        Histogram h = new Histogram(3);
        int calls = Math.max(5, CALLS / 4);
        try (Connection c = RawStore.connect()) {
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                RawRoute.answer(c, queries, workflows.get(i % workflows.size()), start.minus(i + 1, ChronoUnit.MINUTES),
                        end);
                h.recordValue((System.nanoTime() - t0) / 1000);
            }
        }
        return h;
    }

    private static List<String> workflowIds() throws Exception {
        List<String> out = new ArrayList<>();
        // The simulator's ids are deterministic for a seed; ask it rather than the database.
        var options = WorkloadSimulator.Options.parse(new String[] {"--workflows", Integer.toString(WORKFLOWS),
                "--seed", Long.toString(SEED)});
        try (WorkloadSimulator s = new WorkloadSimulator(options)) {
            out.addAll(s.workflowIds());
        }
        return out;
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (String topic : List.of(Topics.ANALYTICS_METRICS, Topics.ANALYTICS_EXECUTIONS)) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> ask.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> out = new LinkedHashMap<>();
            admin.listOffsets(ask).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** The new group starts where the topics end now: it will read exactly what the backfill adds. */
    private static void commitOffsets(String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(group, commit).all().get();
        }
    }

    /** Until the analytics topics stop growing for 15 s: metrics-ingest has published the whole backfill. */
    private static void awaitQuiet() throws Exception {
        Map<TopicPartition, Long> last = endOffsets();
        Instant stableSince = Instant.now();
        while (Duration.between(stableSince, Instant.now()).toSeconds() < 15) {
            Thread.sleep(1000);
            Map<TopicPartition, Long> now = endOffsets();
            if (!now.equals(last)) {
                last = now;
                stableSince = Instant.now();
            }
        }
    }

    private static void awaitCaughtUp(String group, Map<TopicPartition, Long> target) throws Exception {
        try (Admin admin = admin()) {
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                long lag = 0;
                for (var e : target.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    lag += e.getValue() - (c == null ? 0 : c.offset());
                }
                if (lag <= 0) {
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /**
     * Rollup maintenance at the density of a live stream. A backfill spreads each workflow's metrics thinly over 90
     * days (a few per workflow and minute), so nearly every metric opens rollup rows of its own; a platform producing
     * 50,000 metrics a second puts hundreds into each workflow's minute, hour and day rows. Takes the backfill's
     * newest {@value #LIVE_SAMPLE} metrics (real dimension mixes), gives them new ids and timestamps spread evenly
     * over the {@code LIVE_METRICS / 50,000} seconds before now, produces them onto analytics.metrics as
     * metrics-ingest would, and times a fresh analytics-query draining them alone.
     */
    private static String liveDensityDrain(String group) throws Exception {
        Map<TopicPartition, Long> end = endOffsets();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        // Only metrics: test suites sharing the broker leave records on analytics.metrics that are none on purpose.
        List<Map.Entry<String, byte[]>> sample = newestMetrics(end).stream().filter(r -> {
            try {
                return json.readTree(r.getValue()) instanceof com.fasterxml.jackson.databind.node.ObjectNode o
                        && o.hasNonNull("id") && o.hasNonNull("metricType");
            } catch (java.io.IOException e) {
                return false;
            }
        }).toList();
        if (sample.isEmpty()) {
            return "live-density drain: no metrics to sample";
        }
        Instant start = Instant.now().minusMillis(LIVE_METRICS / 50);
        try (var producer = TestKafka.producer()) {
            for (int i = 0; i < LIVE_METRICS; i++) {
                Map.Entry<String, byte[]> original = sample.get(i % sample.size());
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(original.getValue());
                node.put("id", UUID.randomUUID().toString());
                node.put("timestamp", start.plusNanos(i * 20_000L).toString());
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.ANALYTICS_METRICS,
                        original.getKey(), json.writeValueAsBytes(node)));
            }
            producer.flush();
        }
        Map<TopicPartition, Long> target = endOffsets();
        Map<String, String> overrides = new HashMap<>(Map.of(
                "mp.messaging.incoming.analytics-metrics.group.id", group,
                "mp.messaging.incoming.analytics-executions.group.id", group,
                "wa.analysis.enabled", "false"));
        // A/B of consumer settings without a rebuild: -Dwa.bench.query-overrides=key=value,key=value
        for (String kv : System.getProperty("wa.bench.query-overrides", "").split(",")) {
            if (kv.contains("=")) {
                overrides.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        try (ServiceProcess query = new ServiceProcess("analytics-query", PORT, overrides).start()) {
            long drainStart = System.nanoTime();
            awaitCaughtUp(group, target);
            double seconds = (System.nanoTime() - drainStart) / 1e9;
            return String.format(Locale.ROOT, "rollup maintenance at live density (%,d metrics stamped over the last "
                    + "%d s, as 50,000/s would produce), drained alone: %,.0f metrics/s (%.1f s)", LIVE_METRICS,
                    LIVE_METRICS / 50_000, LIVE_METRICS / seconds, seconds);
        }
    }

    /** The newest records of analytics.metrics, up to {@value #LIVE_SAMPLE}, with their keys. */
    private static List<Map.Entry<String, byte[]>> newestMetrics(Map<TopicPartition, Long> end) {
        List<TopicPartition> partitions = end.keySet().stream()
                .filter(tp -> tp.topic().equals(Topics.ANALYTICS_METRICS)).toList();
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.of(
                "bootstrap.servers", TestKafka.BOOTSTRAP, "enable.auto.commit", "false",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer"))) {
            consumer.assign(partitions);
            long remaining = 0;
            for (TopicPartition tp : partitions) {
                long from = Math.max(0, end.get(tp) - LIVE_SAMPLE / partitions.size());
                consumer.seek(tp, from);
                remaining += end.get(tp) - from;
            }
            while (remaining > 0) {
                var records = consumer.poll(Duration.ofSeconds(2));
                if (records.isEmpty()) {
                    break;
                }
                for (var r : records) {
                    out.add(Map.entry(r.key(), r.value()));
                }
                remaining -= records.count();
            }
        }
        return out;
    }

    /**
     * A service that has run for weeks has had each closed day's rollup rows rewritten in key order and each closed
     * month's month rows stored (RollupCompaction), once the consumer caught up. Waits until every closed day back
     * to the hour horizon is listed as done and every closed month of the history as stored, and says how long that
     * took after the drain.
     */
    private static String awaitCompacted() throws Exception {
        Instant now = Instant.now();
        LocalDate newest = LocalDate.ofInstant(now.minus(Duration.ofHours(1)), ZoneOffset.UTC).minusDays(1);
        LocalDate oldest = LocalDate.ofInstant(now.minus(Duration.ofDays(90)), ZoneOffset.UTC);
        long expected = ChronoUnit.DAYS.between(oldest, newest) + 1;
        // A month closes an hour (the grace) after its end.
        LocalDate newestMonth = LocalDate.ofInstant(now.minus(Duration.ofHours(1)), ZoneOffset.UTC).withDayOfMonth(1)
                .minusMonths(1);
        LocalDate oldestMonth = LocalDate.ofInstant(now.minus(Duration.ofDays(DAYS)), ZoneOffset.UTC)
                .withDayOfMonth(1);
        long expectedMonths = Math.max(0, ChronoUnit.MONTHS.between(oldestMonth, newestMonth) + 1);
        long started = System.nanoTime();
        long deadline = started + Duration.ofMinutes(40).toNanos();
        String days = null;
        try (Connection c = RawStore.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*), "
                + "coalesce(sum(rows), 0) FROM query.rollup_compacted_days WHERE day >= ? AND day <= ?");
             PreparedStatement months = c.prepareStatement("SELECT count(*), coalesce(sum(rows), 0) FROM "
                     + "query.rollup_compacted_months WHERE stored AND month >= ? AND month <= ?")) {
            ps.setObject(1, oldest);
            ps.setObject(2, newest);
            months.setObject(1, oldestMonth);
            months.setObject(2, newestMonth);
            while (System.nanoTime() < deadline) {
                if (days == null) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= expected) {
                            days = String.format(Locale.ROOT, "closed days rewritten in key order: %d days, %,d "
                                    + "rows, %.0f s after the drain", expected, rs.getLong(2),
                                    (System.nanoTime() - started) / 1e9);
                        }
                    }
                }
                if (days != null) {
                    try (ResultSet rs = months.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) >= expectedMonths) {
                            return String.format(Locale.ROOT, "%s; closed months stored: %d months, %,d rows, "
                                    + "%.0f s after the drain", days, expectedMonths, rs.getLong(2),
                                    (System.nanoTime() - started) / 1e9);
                        }
                    }
                }
                Thread.sleep(2000);
            }
        }
        throw new IllegalStateException("the closed days and months were not compacted within 40 minutes");
    }

    /**
     * Views read outcomes from a covering index, which skips the heap only where vacuum has marked pages
     * all-visible. A service that has run for 90 days has had its tables vacuumed; right after a bulk drain
     * autovacuum (or, where it is off, the service's ReadTableMaintenance) may still be at work (the tables are tuned
     * to trigger after 2% of new rows). Waits for it up to two minutes, then vacuums the rest itself, and says which
     * happened.
     */
    private static String awaitVacuumed(Instant since) throws Exception {
        List<String> tables = List.of("metric_rollups", "execution_outcomes", "user_activity", "user_hours");
        long deadline = System.nanoTime() + 120_000_000_000L;
        List<String> pending = new ArrayList<>(tables);
        try (Connection c = RawStore.connect()) {
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                pending.removeIf(table -> {
                    // Vacuumed and analysed since, by autovacuum or by the service's ReadTableMaintenance (which
                    // stands in where autovacuum is off), or unchanged since its last vacuum and analyse.
                    try (PreparedStatement ps = c.prepareStatement("SELECT (greatest(last_autovacuum, last_vacuum, "
                            + "'epoch') >= ? AND greatest(last_autoanalyze, last_analyze, 'epoch') >= ?) "
                            + "OR (n_ins_since_vacuum = 0 AND n_dead_tup = 0 AND n_mod_since_analyze = 0) "
                            + "FROM pg_stat_user_tables WHERE schemaname = 'query' AND relname = ?")) {
                        ps.setTimestamp(1, Timestamp.from(since));
                        ps.setTimestamp(2, Timestamp.from(since));
                        ps.setString(3, table);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() && rs.getBoolean(1);
                        }
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(2000);
            }
            for (String table : pending) {
                try (var st = c.createStatement()) {
                    st.execute("VACUUM (ANALYZE) query." + table);
                }
            }
        }
        return pending.isEmpty() ? "vacuum and analyse caught up without the benchmark within 2 minutes"
                : "vacuum had not caught up after 2 minutes on " + pending + ": vacuumed explicitly";
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.BOOTSTRAP));
    }
}
