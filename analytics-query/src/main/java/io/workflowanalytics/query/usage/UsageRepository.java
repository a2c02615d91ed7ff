package io.workflowanalytics.query.usage;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.workflowanalytics.common.time.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the rollups cannot answer, read from the finished executions: distinct users per version, environment,
 * region and device (the rollups count users only for the whole workflow), and when in the day given users run
 * the workflow. Whole days from their daily counts (user_activity, user_hours), partial days from
 * execution_outcomes.
 */
@ApplicationScoped
public class UsageRepository {

    /**
     * Keyed by the Dimensions names of the columns, as the rollups' groupings are. The distinct combinations first,
     * then users per value (a count(DISTINCT) per grouping set sorted all the executions four times). The range's
     * whole days ($2–$3) come from user_activity (a combination counts when it has executions on them), its partial
     * first and last day ($4–$5, $6–$7) from the outcomes: over 90 days of one workflow, ~400 rows and a few hundred
     * outcomes instead of ~28,000 outcomes.
     */
    private static final String USERS_BY_DIMENSION = """
            SELECT CASE WHEN grouping(workflow_version) = 0 THEN 'version'
                        WHEN grouping(environment) = 0 THEN 'environment'
                        WHEN grouping(region) = 0 THEN 'region'
                        ELSE 'deviceType' END,
                   coalesce(workflow_version, environment, region, device_type),
                   count(DISTINCT user_id)
            FROM (SELECT workflow_version, environment, region, device_type, user_id
                  FROM user_activity
                  WHERE workflow_id = $1 AND cumulative_at(days, $3) - cumulative_at(days, $2 - 1) > 0
                  UNION
                  SELECT workflow_version, environment, region, device_type, user_id
                  FROM execution_outcomes
                  WHERE workflow_id = $1 AND finished_at >= $4 AND finished_at < $5
                  UNION
                  SELECT workflow_version, environment, region, device_type, user_id
                  FROM execution_outcomes
                  WHERE workflow_id = $1 AND finished_at >= $6 AND finished_at < $7) combinations
            GROUP BY GROUPING SETS ((workflow_version), (environment), (region), (device_type))""";

    /**
     * Every user's executions per hour of day: the whole days' from user_hours, the partial days' from the outcomes.
     * All users rather than the top ones, so that this need not wait for the per-user totals that name them: a
     * workflow has at most 24 rows per user.
     */
    private static final String HOURS_OF_USERS = """
            SELECT user_id, hour::int, cumulative_at(days, $3) - cumulative_at(days, $2 - 1)
            FROM user_hours
            WHERE workflow_id = $1
            UNION ALL
            SELECT user_id, hour, count(*)::int
            FROM (SELECT user_id, date_part('hour', finished_at AT TIME ZONE 'UTC')::int AS hour
                  FROM execution_outcomes
                  WHERE workflow_id = $1 AND finished_at >= $4 AND finished_at < $5 AND user_id IS NOT NULL
                  UNION ALL
                  SELECT user_id, date_part('hour', finished_at AT TIME ZONE 'UTC')::int
                  FROM execution_outcomes
                  WHERE workflow_id = $1 AND finished_at >= $6 AND finished_at < $7 AND user_id IS NOT NULL) edges
            GROUP BY 1, 2""";

    private final Pool pool;

    public UsageRepository(Pool pool) {
        this.pool = pool;
    }

    /** Distinct users per dimension value, keyed {@code dimension + "|" + value} (dimension as in Dimensions). */
    public Uni<Map<String, Long>> usersByDimension(UUID workflow, TimeRange range) {
        return pool.preparedQuery(USERS_BY_DIMENSION).execute(DaySplit.of(range).params(workflow)).map(rows -> {
            Map<String, Long> out = new HashMap<>();
            for (Row row : rows) {
                String value = row.getString(1);
                if (value != null) {
                    out.put(row.getString(0) + "|" + value, row.getLong(2));
                }
            }
            return out;
        });
    }

    /** Executions per UTC hour of day (24 counts) of every user with executions in the range. */
    public Uni<Map<String, long[]>> hoursOfUsers(UUID workflow, TimeRange range) {
        return pool.preparedQuery(HOURS_OF_USERS).execute(DaySplit.of(range).params(workflow)).map(rows -> {
            Map<String, long[]> out = new HashMap<>();
            for (Row row : rows) {
                int n = row.getInteger(2);
                if (n > 0) {
                    out.computeIfAbsent(row.getString(0), u -> new long[24])[row.getInteger(1)] += n;
                }
            }
            return out;
        });
    }

    /**
     * A range as its whole UTC days (subscripts of the day arrays, first to last inclusive) and the partial days
     * around them. A range without a whole day is all edge: no days (last before first) and the range itself.
     */
    record DaySplit(int firstDay, int lastDay, Instant headFrom, Instant headTo, Instant tailFrom, Instant tailTo) {

        static DaySplit of(TimeRange range) {
            Instant start = range.start();
            Instant end = range.end();
            Instant firstWhole = start.truncatedTo(ChronoUnit.DAYS).equals(start) ? start
                    : start.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            Instant wholeEnd = end.truncatedTo(ChronoUnit.DAYS);
            if (!firstWhole.isBefore(wholeEnd)) {
                return new DaySplit(1, 0, start, end, end, end);
            }
            return new DaySplit(epochDay(firstWhole), epochDay(wholeEnd) - 1, start, firstWhole, wholeEnd, end);
        }

        /** $1 workflow, $2–$3 the whole days, $4–$5 the head, $6–$7 the tail. */
        Tuple params(UUID workflow) {
            return Tuple.from(new Object[] {workflow, firstDay, lastDay, utc(headFrom), utc(headTo), utc(tailFrom),
                    utc(tailTo)});
        }

        /** As SQL's epoch_day(): days since 1970-01-01 in UTC. */
        static int epochDay(Instant t) {
            return Math.toIntExact(Math.floorDiv(t.getEpochSecond(), 86_400L));
        }

        private static OffsetDateTime utc(Instant t) {
            return t.atOffset(ZoneOffset.UTC);
        }
    }
}
