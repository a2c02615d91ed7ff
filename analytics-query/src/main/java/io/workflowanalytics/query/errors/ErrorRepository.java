package io.workflowanalytics.query.errors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the error view needs of single executions (table execution_outcomes, index (workflow_id, finished_at)):
 * the newest failures and failure episodes. Executions are ordered by (finished_at, execution_id) so that
 * ties are broken the same way every time.
 */
@ApplicationScoped
public class ErrorRepository {

    /** Failure episodes end with the next success; escalated ones stay open longer than this. */
    static final long ESCALATION_MS = 3_600_000;

    /**
     * The newest failures of each error type. They are ranked from the failures' partial index alone (index-only),
     * and the heap is read only for the rows kept: ranked from the heap, every failure of the range was fetched
     * (~500 pages over 90 days of one workflow where ~100 are kept: 18–31 ms against 7–13 ms with cold pages).
     * Examples (the newest few per type) and recent critical errors (the newest of the serious types) both come
     * from it: every one of the newest n failures of some types is among the newest n of its own type, so one
     * statement beside the view's others replaces a second one that had to wait for the types' severities.
     */
    private static final String NEWEST_FAILURES = """
            SELECT f.error_type, f.execution_id, f.finished_at, o.error_message, f.failed_node_id, o.workflow_version,
                   o.environment
            FROM (SELECT execution_id, finished_at, error_type, failed_node_id,
                         row_number() OVER (PARTITION BY error_type ORDER BY finished_at DESC, execution_id) AS n
                  FROM execution_outcomes
                  WHERE workflow_id = $1 AND finished_at >= $2 AND finished_at < $3
                    AND NOT succeeded AND error_type IS NOT NULL) f
            JOIN execution_outcomes o ON o.workflow_id = $1 AND o.execution_id = f.execution_id
            WHERE f.n <= $4
            ORDER BY f.error_type, f.n""";

    /**
     * A failure episode is a run of failures with no success between them, in (finished_at, execution_id) order; it
     * is resolved by the next success in the range. So failures with the same next success form one episode, which
     * starts at the earliest of them; the failures after the range's last success form the one left open. Each
     * failure (from the failures' index) finds its next success with one probe of the successes' index (V10): ~500
     * failures and probes instead of a window over every outcome of the range (~28,000 over 90 days of one workflow:
     * 15–28 ms against 2.5 ms). Open time: to that success, or to the range end.
     */
    private static final String EPISODES = """
            WITH failure AS (
                SELECT f.finished_at, s.finished_at AS next_at, s.execution_id AS next_id
                FROM execution_outcomes f
                LEFT JOIN LATERAL (
                    SELECT n.finished_at, n.execution_id
                    FROM execution_outcomes n
                    WHERE n.workflow_id = $1 AND (n.finished_at, n.execution_id) > (f.finished_at, f.execution_id)
                      AND n.finished_at < $3 AND n.succeeded
                    ORDER BY n.finished_at, n.execution_id
                    LIMIT 1) s ON true
                WHERE f.workflow_id = $1 AND f.finished_at >= $2 AND f.finished_at < $3 AND NOT f.succeeded
            ), episode AS (
                SELECT min(finished_at) AS started, next_at FROM failure GROUP BY next_at, next_id
            )
            SELECT count(*), count(next_at), coalesce(sum(extract(epoch FROM next_at - started) * 1000), 0)::numeric,
                   count(*) FILTER (WHERE extract(epoch FROM coalesce(next_at, $3) - started) * 1000 > $4::int8)
            FROM episode""";

    /** Counts of failure episodes in a range and the summed time to resolution of the resolved ones (ms). */
    public record Episodes(long total, long resolved, BigDecimal resolutionMsSum, long escalated) {
    }

    private final Pool pool;

    public ErrorRepository(Pool pool) {
        this.pool = pool;
    }

    /** One failed execution; {@code finishedAt} at the database's precision, for ordering. */
    public record Failure(String executionId, OffsetDateTime finishedAt, String errorType, String errorMessage,
                          String nodeId, String version, String environment) {

        /** Newest first, ties by execution id as PostgreSQL orders uuids (bytes, unsigned: the hex text's order). */
        static final Comparator<Failure> NEWEST_FIRST = Comparator.comparing(Failure::finishedAt).reversed()
                .thenComparing(Failure::executionId);

        String timestamp() {
            return finishedAt.toInstant().toString();
        }
    }

    /** Up to {@code perType} newest failures of each error type (keyed by type), newest first. */
    public Uni<Map<String, List<Failure>>> newestFailures(UUID workflow, Instant from, Instant to, int perType) {
        return pool.preparedQuery(NEWEST_FAILURES).execute(range(workflow, from, to).addLong((long) perType))
                .map(rows -> {
                    Map<String, List<Failure>> out = new LinkedHashMap<>();
                    for (Row r : rows) {
                        String type = r.getString(0);
                        out.computeIfAbsent(type, k -> new ArrayList<>()).add(new Failure(r.getUUID(1).toString(),
                                r.getOffsetDateTime(2), type, r.getString(3), r.getString(4), r.getString(5),
                                r.getString(6)));
                    }
                    return out;
                });
    }

    public Uni<Episodes> episodes(UUID workflow, Instant from, Instant to) {
        return pool.preparedQuery(EPISODES).execute(range(workflow, from, to).addLong(ESCALATION_MS)).map(rows -> {
            Row r = rows.iterator().next();
            return new Episodes(r.getLong(0), r.getLong(1), r.getBigDecimal(2), r.getLong(3));
        });
    }

    private static Tuple range(UUID workflow, Instant from, Instant to) {
        return Tuple.of(workflow, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC));
    }
}
