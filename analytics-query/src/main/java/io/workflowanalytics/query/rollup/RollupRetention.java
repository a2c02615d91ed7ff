package io.workflowanalytics.query.rollup;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How far back each rollup level is kept (spec: DataRetentionPolicy.aggregatedMetrics, minuteLevel and hourLevel in
 * days): a metric older than a level's horizon is not rolled up at that level, and ranges reaching past a horizon
 * are answered at the next coarser level (their edges rounded outwards to whole hours or days). Minute rows for a
 * 90-day history would be most of the table and of the rollup work, and no view needs minute edges that old.
 * {@link RollupPurge} deletes the rows a level holds past its horizon.
 * <p>
 * Static because {@link RangePlan} is built in many places from a range alone; set once at start-up.
 */
@Startup
@ApplicationScoped
public class RollupRetention {

    private static volatile Duration minuteLevel = Duration.ofDays(36500);
    private static volatile Duration hourLevel = Duration.ofDays(36500);
    private static volatile Clock clock = Clock.systemUTC();

    public RollupRetention(@ConfigProperty(name = "wa.rollup.retention.minute-level-days", defaultValue = "7")
                           int minuteDays,
                           @ConfigProperty(name = "wa.rollup.retention.hour-level-days", defaultValue = "90")
                           int hourDays) {
        if (minuteDays < 1 || hourDays < minuteDays) {
            throw new IllegalArgumentException("wa.rollup.retention: need 1 <= minute-level-days <= hour-level-days");
        }
        minuteLevel = Duration.ofDays(minuteDays);
        hourLevel = Duration.ofDays(hourDays);
    }

    /** The oldest instant a level still holds rows for (day rows: always). */
    public static Instant horizon(RollupLevel level) {
        return switch (level) {
            case MINUTE -> clock.instant().minus(minuteLevel);
            case HOUR -> clock.instant().minus(hourLevel);
            case DAY -> Instant.MIN;
        };
    }
}
