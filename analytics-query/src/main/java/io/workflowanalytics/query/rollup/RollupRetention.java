package io.workflowanalytics.query.rollup;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * How far back each rollup level is kept (spec: DataRetentionPolicy.aggregatedMetrics: minuteLevel, hourLevel and
 * dayLevel in days, monthLevel in months): a metric older than a level's horizon is not rolled up at that level, and
 * ranges reaching past a horizon are answered at the next coarser level (their edges rounded outwards to whole hours,
 * days or months). Minute rows for a 90-day history would be most of the table and of the rollup work, and no view
 * needs minute edges that old. {@link RollupPurge} deletes the rows a level holds past its horizon: day rows only of
 * months whose month rows are stored, so that nothing is lost before the month horizon.
 * <p>
 * The day horizon is the start of a month, so that whole months go at once and a range past it reads whole months.
 * It must lie before any metric can still arrive ({@code wa.rollup.retention.applied-ids-days}), so that no day row
 * of a month is written again after the month's days are gone.
 * <p>
 * Static because {@link RangePlan} is built in many places from a range alone; set once at start-up.
 */
@Startup
@ApplicationScoped
public class RollupRetention {

    private static volatile Duration minuteLevel = Duration.ofDays(36500);
    private static volatile Duration hourLevel = Duration.ofDays(36500);
    private static volatile Duration dayLevel = Duration.ofDays(36500);
    private static volatile int monthLevel = 1300 * 12;
    private static volatile Clock clock = Clock.systemUTC();

    public RollupRetention(@ConfigProperty(name = "wa.rollup.retention.minute-level-days", defaultValue = "7")
                           int minuteDays,
                           @ConfigProperty(name = "wa.rollup.retention.hour-level-days", defaultValue = "90")
                           int hourDays,
                           @ConfigProperty(name = "wa.rollup.retention.day-level-days", defaultValue = "730")
                           int dayDays,
                           @ConfigProperty(name = "wa.rollup.retention.month-level-months", defaultValue = "60")
                           int monthMonths,
                           @ConfigProperty(name = "wa.rollup.retention.applied-ids-days", defaultValue = "127")
                           int appliedIdsDays) {
        if (minuteDays < 1 || hourDays < minuteDays || dayDays < hourDays) {
            throw new IllegalArgumentException("wa.rollup.retention: need 1 <= minute-level-days <= hour-level-days "
                    + "<= day-level-days");
        }
        // A month and a day of room: the day horizon is rounded down to the start of its month.
        if (dayDays <= appliedIdsDays + 31) {
            throw new IllegalArgumentException("wa.rollup.retention.day-level-days must exceed applied-ids-days by "
                    + "more than a month: metrics that old may still arrive and need their days");
        }
        if ((long) monthMonths * 28 < dayDays) {
            throw new IllegalArgumentException("wa.rollup.retention.month-level-months must reach at least as far "
                    + "back as day-level-days");
        }
        minuteLevel = Duration.ofDays(minuteDays);
        hourLevel = Duration.ofDays(hourDays);
        dayLevel = Duration.ofDays(dayDays);
        monthLevel = monthMonths;
    }

    /** The oldest instant a level still holds rows for. */
    public static Instant horizon(RollupLevel level) {
        return horizon(level, clock.instant());
    }

    /** The oldest instant a level holds rows for as seen at {@code now}. */
    public static Instant horizon(RollupLevel level, Instant now) {
        return switch (level) {
            case MINUTE -> now.minus(minuteLevel);
            case HOUR -> now.minus(hourLevel);
            case DAY -> RollupLevel.MONTH.bucket(now.minus(dayLevel));
            case MONTH -> RollupLevel.month(now).minusMonths(monthLevel).atStartOfDay(ZoneOffset.UTC).toInstant();
        };
    }

    /** The finest level whose rows still cover t. */
    public static RollupLevel resolution(Instant t) {
        for (RollupLevel level : RollupLevel.values()) {
            if (!t.isBefore(horizon(level)) || level == RollupLevel.MONTH) {
                return level;
            }
        }
        throw new AssertionError();
    }
}
