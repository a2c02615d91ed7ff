package io.workflowanalytics.query.errors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.query.errors.ErrorView.CriticalError;
import io.workflowanalytics.query.errors.ErrorView.ErrorExample;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the error view needs of single executions (table execution_outcomes, index (workflow_id, finished_at)):
 * examples, the latest failures and failure episodes. Executions are ordered by (finished_at, execution_id) so that
 * ties are broken the same way every time.
 */
@ApplicationScoped
public class ErrorRepository {

    /** Failure episodes end with the next success; escalated ones stay open longer than this. */
    static final long ESCALATION_MS = 3_600_000;

    private static final String EXAMPLES = """
            SELECT error_type, execution_id, finished_at, error_message, failed_node_id, workflow_version, environment
            FROM (SELECT *, row_number() OVER (PARTITION BY error_type ORDER BY finished_at DESC, execution_id) AS n
                  FROM execution_outcomes
                  WHERE workflow_id = $1 AND finished_at >= $2 AND finished_at < $3
                    AND NOT succeeded AND error_type IS NOT NULL) e
            WHERE n <= $4
            ORDER BY error_type, n""";

    private static final String LATEST_FAILURES = """
            SELECT execution_id, finished_at, error_type, error_message, failed_node_id
            FROM execution_outcomes
            WHERE workflow_id = $1 AND finished_at >= $2 AND finished_at < $3
              AND NOT succeeded AND error_type = ANY($4)
            ORDER BY finished_at DESC, execution_id
            LIMIT $5""";

    /**
     * An episode starts at a failure whose predecessor (lag) is a success or none; it is resolved by the next
     * success in the range: the running min over the rows after it, read backwards so that the frame only grows
     * (a frame "1 FOLLOWING to UNBOUNDED FOLLOWING" would rescan the rest of the range for every row). Open time:
     * to that success, or to the range end.
     */
    private static final String EPISODES = """
            WITH o AS (
                SELECT finished_at, succeeded,
                       lag(succeeded) OVER (ORDER BY finished_at, execution_id) AS previous_succeeded,
                       min(finished_at) FILTER (WHERE succeeded) OVER (ORDER BY finished_at DESC, execution_id DESC
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS next_success
                FROM execution_outcomes
                WHERE workflow_id = $1 AND finished_at >= $2 AND finished_at < $3
            ), episode AS (
                SELECT next_success,
                       extract(epoch FROM next_success - finished_at) * 1000 AS resolution_ms,
                       extract(epoch FROM coalesce(next_success, $3) - finished_at) * 1000 AS open_ms
                FROM o
                WHERE NOT succeeded AND coalesce(previous_succeeded, true)
            )
            SELECT count(*), count(next_success), coalesce(sum(resolution_ms), 0)::numeric,
                   count(*) FILTER (WHERE open_ms > $4::int8)
            FROM episode""";

    /** Counts of failure episodes in a range and the summed time to resolution of the resolved ones (ms). */
    public record Episodes(long total, long resolved, BigDecimal resolutionMsSum, long escalated) {
    }

    private final Pool pool;

    public ErrorRepository(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code perType} newest failures of each error type, newest first. */
    public Uni<Map<String, List<ErrorExample>>> examples(UUID workflow, Instant from, Instant to, int perType) {
        return pool.preparedQuery(EXAMPLES).execute(range(workflow, from, to).addLong((long) perType)).map(rows -> {
            Map<String, List<ErrorExample>> out = new LinkedHashMap<>();
            for (Row r : rows) {
                out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new ErrorExample(
                        r.getUUID(1).toString(), instant(r, 2), r.getString(3), r.getString(4), r.getString(5),
                        r.getString(6)));
            }
            return out;
        });
    }

    /** The latest {@code limit} failures with one of these error types, newest first (severity left empty). */
    public Uni<List<CriticalError>> latestFailures(UUID workflow, Instant from, Instant to,
                                                  Collection<String> errorTypes, int limit) {
        if (errorTypes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Tuple params = range(workflow, from, to).addArrayOfString(errorTypes.toArray(String[]::new))
                .addLong((long) limit);
        return pool.preparedQuery(LATEST_FAILURES).execute(params).map(rows -> {
            List<CriticalError> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new CriticalError(r.getUUID(0).toString(), instant(r, 1), r.getString(2), r.getString(3),
                        r.getString(4), null));
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

    private static String instant(Row r, int column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t.toInstant().toString();
    }
}
