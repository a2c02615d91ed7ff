package io.workflowanalytics.query.usage;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.workflowanalytics.common.events.AnalyticsMetric;
import io.workflowanalytics.common.events.Dimensions;
import io.workflowanalytics.common.events.ExecutionEvent;
import io.workflowanalytics.common.events.ExecutionEventType;
import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.testing.RealInfrastructure;
import io.workflowanalytics.common.testing.TestDatabase;
import io.workflowanalytics.common.testing.TestTokens;
import io.workflowanalytics.query.testing.BruteForce;
import io.workflowanalytics.query.testing.Dataset;
import io.workflowanalytics.query.testing.Views;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static io.workflowanalytics.query.testing.Views.assertExact;
import static io.workflowanalytics.query.testing.Views.number;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The usage view against a brute-force computation over the generated raw metrics and executions, through real
 * Kafka, PostgreSQL and Redis, over ranges that are not aligned to days or hours: every count, share, percentage and
 * average exact. Besides 3000 executions spread over nine days, 60 more run every day between 14:00 and 16:00 UTC,
 * so that the hour profile has a peak window and users have preferred slots.
 */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageViewTest {

    static final Instant START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(12, ChronoUnit.DAYS);
    static final Dataset DATA = Dataset.generate(303, 3000, START.plus(37, ChronoUnit.MINUTES), Duration.ofDays(9));
    static final List<AnalyticsMetric> METRICS = new ArrayList<>(DATA.metrics);
    static final List<ExecutionEvent> EXECUTIONS = new ArrayList<>(DATA.executions);

    static {
        for (int day = 0; day < 9; day++) {
            Dataset peak = Dataset.generate(400 + day, 60, START.plus(Duration.ofDays(day).plusHours(14)),
                    Duration.ofHours(2));
            peak.metrics.forEach(m -> METRICS.add(retarget(m)));
            peak.executions.forEach(e -> EXECUTIONS.add(retarget(e)));
        }
    }

    static final int TOTAL = 3000 + 9 * 60;

    /** Two days and a bit with minute, hour and day parts at both ends. */
    static final Instant[] SPAN = {START.plus(Duration.ofMinutes(2 * 1440 + 17 * 60 + 23)),
            START.plus(Duration.ofMinutes(6 * 1440 + 3 * 60 + 41))};
    /** Within one day, covering its peak. */
    static final Instant[] DAYTIME = {START.plus(Duration.ofMinutes(3 * 1440 + 2 * 60 + 5)),
            START.plus(Duration.ofMinutes(3 * 1440 + 16 * 60 + 40))};
    static final Instant[] ALL = {START, START.plus(10, ChronoUnit.DAYS)};
    /** Over a year: per-day rates fall, so users fall into several segments. */
    static final Instant[] LONG = {START.minus(Duration.ofDays(370)).plus(Duration.ofMinutes(611)),
            START.plus(10, ChronoUnit.DAYS)};

    private boolean produced;

    // Not @BeforeAll: REST Assured learns the test port only once a test method runs.
    @BeforeEach
    void produceOnce() {
        if (produced) {
            return;
        }
        produced = true;
        DATA.send(METRICS, EXECUTIONS);
        // Everything stored before the first view is asked for: a view computed while a last batch commits could
        // be cached without it (see the report on ViewCache), and the outcomes feed users and preferred slots.
        String workflow = "workflow_id = '" + DATA.workflowId + "'";
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                TestDatabase.count("SELECT count(*) FROM execution_outcomes WHERE " + workflow) == TOTAL
                        && TestDatabase.count("SELECT coalesce(sum(count), 0) FROM metric_rollups WHERE " + workflow
                        + " AND level = 'minute' AND dim_key IN ('', 'nodeId')") == METRICS.size());
        Views.await(DATA.workflowId, "/usage", range(ALL), json -> number(json, "usageOverview.totalExecutions")
                == TOTAL);
    }

    @Test
    void overviewAndTemporalPatternsEqualTheBruteForceOnes() {
        for (Instant[] r : List.of(SPAN, DAYTIME, ALL)) {
            String label = "range " + r[0] + " to " + r[1];
            JsonPath view = view(DATA.workflowId, range(r));
            List<AnalyticsMetric> counts = select(MetricType.EXECUTION_COUNT, r, m -> true);
            Set<Object> users = new HashSet<>();
            counts.forEach(m -> users.add(m.dimensions().get(Dimensions.USER_ID)));
            long total = BruteForce.sum(counts).longValue();
            assertEquals(counts.size(), total, label);
            assertEquals(total, (long) number(view, "usageOverview.totalExecutions"), label);
            assertEquals(users.size(), (long) number(view, "usageOverview.activeUsers"), label);
            assertExact((double) total / users.size(), number(view, "usageOverview.averageExecutionsPerUser"), label);
            assertExact(BruteForce.mean(select(MetricType.EXECUTION_TIME, r, m -> true)),
                    number(view, "usageOverview.averageExecutionTime"), label);

            long[] hourly = new long[24];
            long[] daily = new long[7];
            Map<LocalDate, Long> weekly = new TreeMap<>();
            Map<LocalDate, Long> monthly = new TreeMap<>();
            for (LocalDate d = date(r[0]); !d.isAfter(date(r[1].minusNanos(1))); d = d.plusDays(1)) {
                weekly.put(d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), 0L);
                monthly.put(d.withDayOfMonth(1), 0L);
            }
            for (AnalyticsMetric m : counts) {
                var t = m.timestamp().atZone(ZoneOffset.UTC);
                hourly[t.getHour()]++;
                daily[t.getDayOfWeek().getValue() - 1]++;
                weekly.merge(t.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), 1L, Long::sum);
                monthly.merge(t.toLocalDate().withDayOfMonth(1), 1L, Long::sum);
            }
            assertEquals(longs(hourly), longs(view.getList("temporalPatterns.find { it.patternType == 'temporal' }.hourlyDistribution")), label);
            assertEquals(longs(daily), longs(view.getList("temporalPatterns.find { it.patternType == 'temporal' }.dailyDistribution")), label);
            assertEquals(new ArrayList<>(weekly.values()), longs(view.getList("temporalPatterns.find { it.patternType == 'seasonal' }.weeklyDistribution")),
                    label);
            assertEquals(weekly.keySet().stream().map(LocalDate::toString).toList(),
                    view.getList("temporalPatterns.find { it.patternType == 'seasonal' }.weekStarts"), label);
            assertEquals(new ArrayList<>(monthly.values()),
                    longs(view.getList("temporalPatterns.find { it.patternType == 'seasonal' }.monthlyDistribution")), label);

            // Loads: executions per hour the range spends in each hour of day (or on each weekday).
            long[] hourSeconds = new long[24];
            long[] daySeconds = new long[7];
            for (long s = r[0].getEpochSecond(); s < r[1].getEpochSecond(); s += 60) {
                var t = Instant.ofEpochSecond(s).atZone(ZoneOffset.UTC);
                hourSeconds[t.getHour()] += 60;
                daySeconds[t.getDayOfWeek().getValue() - 1] += 60;
            }
            double hours = Duration.between(r[0], r[1]).toSeconds() / 3600.0;
            assertExact(total / hours, number(view, "temporalPatterns.find { it.patternType == 'temporal' }.averageHourlyLoad"), label);
            assertExact(total / hours, number(view, "temporalPatterns.find { it.patternType == 'seasonal' }.averageHourlyLoad"), label);
            assertEquals(List.of("temporal", "seasonal"), view.getList("temporalPatterns.patternType"), label);
            assertEquals(argMax(hourly, h -> (double) hourly[h]), (int) number(view, "usageOverview.peakHour"), label);
            int busiest = argMax(daily, d -> daySeconds[d] == 0 ? 0 : daily[d] / (daySeconds[d] / 86400.0));
            assertEquals(DayOfWeek.of(busiest + 1).name().toLowerCase(Locale.ROOT),
                    view.getString("usageOverview.busiestDay"), label);

            List<double[]> windows = peakWindows(hourly, hourSeconds, total / hours);
            assertEquals(windows.size(), view.getList("temporalPatterns.find { it.patternType == 'temporal' }.peakUsageWindows").size(), label);
            assertFalse(windows.isEmpty(), label + ": the 14:00–16:00 extra load is a peak");
            for (int i = 0; i < windows.size(); i++) {
                double[] w = windows.get(i);
                String at = "temporalPatterns.find { it.patternType == 'temporal' }.peakUsageWindows[" + i + "].";
                assertEquals(String.format(Locale.ROOT, "%02d:00", (int) w[0]), view.getString(at + "startTime"));
                assertEquals(String.format(Locale.ROOT, "%02d:00", (int) (w[0] + w[1]) % 24),
                        view.getString(at + "endTime"));
                assertEquals((int) w[1], (int) number(view, at + "duration"), label);
                assertExact(w[2], number(view, at + "averageLoad"), label);
                assertExact(w[3], number(view, at + "peakLoad"), label);
                assertEquals("daily", view.getString(at + "frequency"));
            }
            double topAverage = windows.get(0)[2];
            assertExact(topAverage, number(view, "insights.find { it.type == 'peak_window' }.value"), label);
        }
    }

    @Test
    void usersSegmentsAndTopUsersEqualTheBruteForceOnes() {
        Set<String> segmentsSeen = new HashSet<>();
        for (Instant[] r : List.of(SPAN, LONG)) {
            String label = "range " + r[0] + " to " + r[1];
            JsonPath view = view(DATA.workflowId, range(r));
            double days = Math.max(1.0, Duration.between(r[0], r[1]).toSeconds() / 86400.0);
            Map<String, List<AnalyticsMetric>> countsByUser = byDimension(select(MetricType.EXECUTION_COUNT, r,
                    m -> true), Dimensions.USER_ID);
            Map<String, List<AnalyticsMetric>> timesByUser = byDimension(select(MetricType.EXECUTION_TIME, r,
                    m -> true), Dimensions.USER_ID);
            long total = countsByUser.values().stream().mapToLong(List::size).sum();
            assertEquals(countsByUser.size(), view.getList("userBehavior.users").size(), label);
            assertExact(days, number(view, "userBehavior.rangeDays"), label);
            Map<String, long[]> segments = new LinkedHashMap<>();
            for (String s : List.of("power_user", "regular_user", "occasional_user")) {
                segments.put(s, new long[2]);
            }
            for (var e : countsByUser.entrySet()) {
                String user = e.getKey();
                long n = e.getValue().size();
                double perDay = n / days;
                String segment = perDay >= 3 ? "power_user" : perDay >= 0.5 ? "regular_user" : "occasional_user";
                segments.get(segment)[0]++;
                segments.get(segment)[1] += n;
                segmentsSeen.add(segment);
                String at = "userBehavior.users.find { it.userId == '" + user + "' }.";
                assertEquals(n, (long) number(view, at + "executionCount"), label + " " + user);
                assertExact(perDay, number(view, at + "executionsPerDay"), label + " " + user);
                assertEquals(segment, view.getString(at + "userType"), label + " " + user);
                assertExact(BruteForce.mean(timesByUser.get(user)), number(view, at + "averageExecutionTime"),
                        label + " " + user);
                assertEquals(preferredSlots(user, r), view.getList(at + "preferredTimeSlots"), label + " " + user);
                assertEquals(Dataset.NODES.length, (int) number(view, at + "workflowComplexity"));
            }
            // Listed by executions, most first.
            List<Long> listed = longs(view.getList("userBehavior.users.executionCount"));
            for (int i = 1; i < listed.size(); i++) {
                assertTrue(listed.get(i - 1) >= listed.get(i), label);
            }
            for (var e : segments.entrySet()) {
                String at = "userBehavior.segments.find { it.segment == '" + e.getKey() + "' }.";
                assertEquals(e.getValue()[0], (long) number(view, at + "users"), label + " " + e.getKey());
                assertEquals(e.getValue()[1], (long) number(view, at + "executions"), label + " " + e.getKey());
                assertExact((double) e.getValue()[0] / countsByUser.size(), number(view, at + "userShare"), label);
                assertExact((double) e.getValue()[1] / total, number(view, at + "executionShare"), label);
            }
            long[] dominant = segments.values().stream().max((a, b) -> Long.compare(a[1], b[1])).orElseThrow();
            boolean expectInsight = (double) dominant[1] / total >= 0.5;
            assertEquals(expectInsight, view.getList("insights.type").contains("dominant_segment"), label);
        }
        assertTrue(segmentsSeen.size() >= 2, "the ranges exercise more than one segment: " + segmentsSeen);
        // Someone prefers the afternoon peak.
        JsonPath all = view(DATA.workflowId, range(ALL));
        assertTrue(all.getList("userBehavior.users.preferredTimeSlots.flatten()").contains("14:00-15:00"));
    }

    @Test
    void geographyDevicesAndFeaturesEqualTheBruteForceOnes() {
        for (Instant[] r : List.of(SPAN, ALL)) {
            String label = "range " + r[0] + " to " + r[1];
            JsonPath view = view(DATA.workflowId, range(r));
            List<AnalyticsMetric> counts = select(MetricType.EXECUTION_COUNT, r, m -> true);
            long total = counts.size();
            for (var e : byDimension(counts, Dimensions.COUNTRY).entrySet()) {
                String at = "geographicDistribution.find { it.country == '" + e.getKey() + "' }.";
                assertEquals(e.getValue().size(), (long) number(view, at + "executions"), label + " " + e.getKey());
                assertExact(100.0 * e.getValue().size() / total, number(view, at + "percentage"), label);
                assertNull(view.get(at + "users"), "users per country are not stored");
            }
            assertBreakdown(view, "regionalDistribution", "region", Dimensions.REGION, counts, total, label, true);
            assertBreakdown(view, "deviceTypes", "deviceType", Dimensions.DEVICE_TYPE, counts, total, label, true);

            Map<String, List<AnalyticsMetric>> versions = byDimension(counts, Dimensions.VERSION);
            Instant mid = r[0].plus(Duration.between(r[0], r[1]).dividedBy(2)).truncatedTo(ChronoUnit.MINUTES);
            long firstTotal = counts.stream().filter(m -> m.timestamp().isBefore(mid)).count();
            for (var e : versions.entrySet()) {
                String at = "featureAdoption.find { it.feature == 'version:" + e.getKey() + "' }.";
                assertEquals(e.getValue().size(), (long) number(view, at + "executions"), label);
                assertExact((double) e.getValue().size() / total, number(view, at + "share"), label);
                assertEquals(distinctUsers(e.getValue()), (long) number(view, at + "users"), label);
                long first = e.getValue().stream().filter(m -> m.timestamp().isBefore(mid)).count();
                double before = (double) first / firstTotal;
                double after = (double) (e.getValue().size() - first) / (total - firstTotal);
                assertExact(before, number(view, at + "firstHalfShare"), label);
                assertExact(after, number(view, at + "secondHalfShare"), label);
                assertExact(after - before, number(view, at + "shareChange"), label);
            }
            for (var e : byDimension(counts, Dimensions.ENVIRONMENT).entrySet()) {
                String at = "featureAdoption.find { it.feature == 'environment:" + e.getKey() + "' }.";
                assertEquals(e.getValue().size(), (long) number(view, at + "executions"), label);
                assertExact((double) e.getValue().size() / total, number(view, at + "share"), label);
                assertEquals(distinctUsers(e.getValue()), (long) number(view, at + "users"), label);
                assertNull(view.get(at + "shareChange"));
            }
        }
    }

    @Test
    void patternTypesAndSegmentationChooseTheSectionsAndTheirCacheEntries() {
        Map<String, String> q = new LinkedHashMap<>(range(SPAN));
        q.put("patternTypes", "temporal,geographic");
        JsonPath some = view(DATA.workflowId, q);
        assertEquals(List.of("temporal", "geographic"), some.getList("patternTypes"));
        assertNull(some.get("userBehavior"));
        assertNull(some.get("deviceTypes"));
        assertNull(some.get("featureAdoption"));
        assertEquals(List.of("temporal"), some.getList("temporalPatterns.patternType"), "seasonal was not asked for");
        assertEquals(24, some.getList("temporalPatterns.find { it.patternType == 'temporal' }.hourlyDistribution").size());
        assertTrue(some.getList("temporalPatterns.find { it.patternType == 'temporal' }.weeklyDistribution").isEmpty());
        assertFalse(some.getList("geographicDistribution").isEmpty());
        Views.get(DATA.workflowId, "/usage", q).then().statusCode(200).header("X-Cache", "HIT");

        // Repeated parameters work as well as a list; seasonal alone fills only the weekly and monthly series.
        JsonPath seasonal = given().auth().oauth2(TestTokens.viewerOf(DATA.workflowId))
                .queryParams(range(ALL)).queryParam("patternTypes", "seasonal", "feature_adoption")
                .when().get("/api/workflows/" + DATA.workflowId + "/analytics/usage").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("seasonal", "feature_adoption"), seasonal.getList("patternTypes"));
        assertEquals(List.of("seasonal"), seasonal.getList("temporalPatterns.patternType"));
        assertTrue(seasonal.getList("temporalPatterns.find { it.patternType == 'seasonal' }.hourlyDistribution").isEmpty());
        assertFalse(seasonal.getList("temporalPatterns.find { it.patternType == 'seasonal' }.weeklyDistribution").isEmpty());
        assertFalse(seasonal.getList("featureAdoption").isEmpty());
        assertNull(seasonal.get("geographicDistribution"));

        Map<String, String> noSegments = new LinkedHashMap<>(range(SPAN));
        noSegments.put("includeUserSegmentation", "false");
        JsonPath plain = view(DATA.workflowId, noSegments);
        assertTrue(plain.getList("userBehavior.segments").isEmpty());
        assertTrue(plain.getList("userBehavior.users").isEmpty());
        assertFalse(plain.getList("deviceTypes").isEmpty());
        // The default shape is a different cache entry: it still has its segments.
        assertEquals(3, view(DATA.workflowId, range(SPAN)).getList("userBehavior.segments").size());
    }

    @Test
    void aWorkflowWithoutDataGetsAnEmptyWellFormedView() {
        String empty = UUID.randomUUID().toString();
        JsonPath view = Views.get(empty, "/usage", Map.of()).then().statusCode(200).extract().jsonPath();
        assertEquals(0, view.getInt("usageOverview.totalExecutions"));
        assertEquals(0, view.getInt("usageOverview.activeUsers"));
        assertNull(view.get("usageOverview.peakHour"));
        assertEquals(24, view.getList("temporalPatterns.find { it.patternType == 'temporal' }.hourlyDistribution").size());
        assertTrue(view.getList("temporalPatterns.find { it.patternType == 'temporal' }.hourlyDistribution").stream().allMatch(v -> ((Number) v)
                .longValue() == 0));
        assertTrue(view.getList("temporalPatterns.find { it.patternType == 'temporal' }.peakUsageWindows").isEmpty());
        assertTrue(view.getList("userBehavior.users").isEmpty());
        assertEquals(3, view.getList("userBehavior.segments").size());
        assertTrue(view.getList("geographicDistribution").isEmpty());
        assertTrue(view.getList("deviceTypes").isEmpty());
        assertTrue(view.getList("featureAdoption").isEmpty());
        assertTrue(view.getList("insights").isEmpty());
    }

    @Test
    void badParametersAreProblemsNamingTheParameter() {
        List<Map<String, String>> bad = List.of(Map.of("patternTypes", "banana"),
                Map.of("patternTypes", "temporal,usage"), Map.of("includeUserSegmentation", "maybe"),
                Map.of("timeRange", "banana"), Map.of("start", "yesterday"));
        for (Map<String, String> q : bad) {
            String field = q.keySet().iterator().next();
            Views.get(DATA.workflowId, "/usage", q).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(field));
        }
        given().when().get("/api/workflows/{id}/analytics/usage", DATA.workflowId).then().statusCode(401);
    }

    // ---- brute force ----

    private static void assertBreakdown(JsonPath view, String list, String field, String dimension,
                                        List<AnalyticsMetric> counts, long total, String label, boolean users) {
        for (var e : byDimension(counts, dimension).entrySet()) {
            String at = list + ".find { it." + field + " == '" + e.getKey() + "' }.";
            assertEquals(e.getValue().size(), (long) number(view, at + "executions"), label + " " + e.getKey());
            assertExact(100.0 * e.getValue().size() / total, number(view, at + "percentage"), label);
            if (users) {
                assertEquals(distinctUsers(e.getValue()), (long) number(view, at + "users"), label + " " + e.getKey());
            }
        }
    }

    /** Hours holding at least 1.5× the user's mean per hour of day, busiest first, at most three. */
    private static List<String> preferredSlots(String user, Instant[] r) {
        long[] byHour = new long[24];
        for (ExecutionEvent e : EXECUTIONS) {
            if (user.equals(e.userId()) && !e.finishedAt().isBefore(r[0]) && e.finishedAt().isBefore(r[1])) {
                byHour[e.finishedAt().atZone(ZoneOffset.UTC).getHour()]++;
            }
        }
        long n = 0;
        for (long c : byHour) {
            n += c;
        }
        List<Integer> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            if (byHour[h] > 0 && byHour[h] >= 1.5 * n / 24.0) {
                hours.add(h);
            }
        }
        hours.sort((a, b) -> byHour[a] != byHour[b] ? Long.compare(byHour[b], byHour[a]) : Integer.compare(a, b));
        return hours.stream().limit(3)
                .map(h -> String.format(Locale.ROOT, "%02d:00-%02d:00", h, (h + 1) % 24)).toList();
    }

    /**
     * Runs of hours of day whose load is ≥ 1.5× the mean, as {start, length, averageLoad, peakLoad}, busiest first.
     * Test data has no run across midnight, which the check below confirms.
     */
    private static List<double[]> peakWindows(long[] hourly, long[] seconds, double mean) {
        boolean[] hot = new boolean[24];
        for (int h = 0; h < 24; h++) {
            hot[h] = hourly[h] > 0 && hourly[h] / (seconds[h] / 3600.0) >= 1.5 * mean;
        }
        assertFalse(hot[0] && hot[23], "test data has no window across midnight");
        List<double[]> out = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            if (!hot[h]) {
                continue;
            }
            int start = h;
            long executions = 0;
            long exposed = 0;
            double peak = 0;
            while (h < 24 && hot[h]) {
                executions += hourly[h];
                exposed += seconds[h];
                peak = Math.max(peak, hourly[h] / (seconds[h] / 3600.0));
                h++;
            }
            out.add(new double[] {start, h - start, executions / (exposed / 3600.0), peak});
        }
        out.sort((a, b) -> Double.compare(b[3], a[3]));
        return out;
    }

    private static int argMax(long[] values, Function<Integer, Double> score) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (score.apply(i) > score.apply(best)) {
                best = i;
            }
        }
        return best;
    }

    private static List<AnalyticsMetric> select(MetricType type, Instant[] r, Predicate<AnalyticsMetric> filter) {
        List<AnalyticsMetric> out = new ArrayList<>();
        for (AnalyticsMetric m : METRICS) {
            if (m.metricType() == type && !m.dimensions().containsKey(Dimensions.NODE_ID)
                    && !m.timestamp().isBefore(r[0]) && m.timestamp().isBefore(r[1]) && filter.test(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static Map<String, List<AnalyticsMetric>> byDimension(List<AnalyticsMetric> metrics, String key) {
        Map<String, List<AnalyticsMetric>> out = new TreeMap<>();
        for (AnalyticsMetric m : metrics) {
            Object v = m.dimensions().get(key);
            if (v != null) {
                out.computeIfAbsent(v.toString(), k -> new ArrayList<>()).add(m);
            }
        }
        return out;
    }

    private static long distinctUsers(List<AnalyticsMetric> metrics) {
        return metrics.stream().map(m -> m.dimensions().get(Dimensions.USER_ID)).distinct().count();
    }

    private static List<Long> longs(long[] values) {
        List<Long> out = new ArrayList<>();
        for (long v : values) {
            out.add(v);
        }
        return out;
    }

    private static List<Long> longs(List<?> values) {
        return values.stream().map(v -> ((Number) v).longValue()).toList();
    }

    private static LocalDate date(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static JsonPath view(String workflowId, Map<String, String> query) {
        return Views.get(workflowId, "/usage", query).then().statusCode(200).extract()
                .jsonPath(JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /**
     * The users' daily counts that whole days are read from (running totals: a day's count is its total less the
     * day before's) hold each finished execution once, and still do after every execution event is delivered again. A new execution after the replay (on the same partition, outside
     * every range the other tests ask for) shows when the replay has been consumed.
     */
    @Test
    void usersDailyCountsHoldEachExecutionOnceAfterAReplay() {
        assertEquals(expectedDailyCounts(EXECUTIONS), storedDailyCounts());

        ExecutionEvent template = EXECUTIONS.stream().filter(e -> e.finishedAt() != null
                && e.type() != ExecutionEventType.EXECUTION_STARTED).findFirst().orElseThrow();
        Instant at = START.plus(Duration.ofDays(11)).plusSeconds(7 * 3600 + 5);
        ExecutionEvent marker = new ExecutionEvent(UUID.randomUUID().toString(), 1, at, template.type(),
                UUID.randomUUID().toString(), DATA.workflowId, template.workflowVersion(), template.environment(),
                "replay-marker", template.userType(), template.region(), template.country(), template.deviceType(),
                at.minusSeconds(2), at, 2000.0, template.nodes(), template.errorType(), template.errorMessage(),
                template.resourceUsage(), template.costs());
        List<ExecutionEvent> replay = new ArrayList<>(EXECUTIONS);
        replay.add(marker);
        DATA.send(List.of(), replay);
        List<String> expected = expectedDailyCounts(replay);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> storedDailyCounts().stream().anyMatch(k -> k.startsWith("hours|replay-marker|")));
        assertEquals(expected, storedDailyCounts());
    }

    /** "activity|user|version|environment|region|device|day|count" and "hours|user|hour|day|count", sorted. */
    private static List<String> expectedDailyCounts(List<ExecutionEvent> events) {
        Map<String, ExecutionEvent> finished = new LinkedHashMap<>();
        events.stream().filter(e -> e.finishedAt() != null && e.type() != ExecutionEventType.EXECUTION_STARTED)
                .forEach(e -> finished.putIfAbsent(e.executionId(), e));
        Map<String, Long> counts = new TreeMap<>();
        for (ExecutionEvent e : finished.values()) {
            long day = Math.floorDiv(e.finishedAt().getEpochSecond(), 86_400L);
            counts.merge(String.join("|", "activity", dash(e.userId()), dash(e.workflowVersion()),
                    dash(e.environment()), dash(e.region()), dash(e.deviceType()), Long.toString(day)), 1L, Long::sum);
            if (e.userId() != null) {
                int hour = e.finishedAt().atZone(ZoneOffset.UTC).getHour();
                counts.merge(String.join("|", "hours", e.userId(), Integer.toString(hour), Long.toString(day)), 1L,
                        Long::sum);
            }
        }
        List<String> out = new ArrayList<>();
        counts.forEach((k, n) -> out.add(k + "|" + n));
        out.sort(null);
        return out;
    }

    private static List<String> storedDailyCounts() {
        String workflow = "workflow_id = '" + DATA.workflowId + "'";
        List<String> out = new ArrayList<>(TestDatabase.column("""
                SELECT concat_ws('|', 'activity', coalesce(user_id, '-'), coalesce(workflow_version, '-'),
                                 coalesce(environment, '-'), coalesce(region, '-'), coalesce(device_type, '-'), d,
                                 days[d] - coalesce(days[d - 1], 0))
                FROM user_activity, generate_subscripts(days, 1) d
                WHERE days[d] > coalesce(days[d - 1], 0) AND\s""" + workflow + """

                UNION ALL
                SELECT concat_ws('|', 'hours', user_id, hour, d, days[d] - coalesce(days[d - 1], 0))
                FROM user_hours, generate_subscripts(days, 1) d
                WHERE days[d] > coalesce(days[d - 1], 0) AND\s""" + workflow));
        out.sort(null);
        return out;
    }

    private static String dash(String value) {
        return value == null ? "-" : value;
    }

    static Map<String, String> range(Instant[] r) {
        return Map.of("start", r[0].toString(), "end", r[1].toString());
    }

    private static AnalyticsMetric retarget(AnalyticsMetric m) {
        return new AnalyticsMetric(m.eventId(), 1, m.occurredAt(), m.id(), DATA.workflowId, m.metricType(), m.value(),
                m.timestamp(), m.dimensions(), m.tags(), m.source(), m.aggregationLevel());
    }

    private static ExecutionEvent retarget(ExecutionEvent e) {
        return new ExecutionEvent(e.eventId(), 1, e.occurredAt(), e.type(), e.executionId(), DATA.workflowId,
                e.workflowVersion(), e.environment(), e.userId(), e.userType(), e.region(), e.country(),
                e.deviceType(), e.startedAt(), e.finishedAt(), e.durationMs(), e.nodes(), e.errorType(),
                e.errorMessage(), e.resourceUsage(), e.costs());
    }
}
