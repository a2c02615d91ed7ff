package io.workflowanalytics.query.rollup;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

/**
 * The closed months whose month rollup rows are complete ({@code rollup_compacted_months.stored}), which
 * {@link RangePlan} reads instead of their day rows. Months only ever join the set (the compaction of this or another
 * replica adds them), so a replica that has not heard of a month yet reads its days and answers the same.
 * <p>
 * Static because {@link RangePlan} is built in many places from a range alone, as {@link RollupRetention} is;
 * loaded at start-up and refreshed every {@code wa.rollup.months.refresh}. With {@code wa.rollup.months.read=false}
 * views read days only (the compaction still stores months): to compare, or to rule the month rows out.
 */
@ApplicationScoped
public class StoredMonths {

    private static final Logger LOG = Logger.getLogger(StoredMonths.class);
    private static final String STORED = "SELECT month FROM rollup_compacted_months WHERE stored";

    private static volatile Set<LocalDate> months = Set.of();
    private static volatile boolean read = true;

    private final Pool pool;

    public StoredMonths(Pool pool,
                        @ConfigProperty(name = "wa.rollup.months.read", defaultValue = "true") boolean read) {
        this.pool = pool;
        StoredMonths.read = read;
    }

    /** Whether the month starting at {@code monthStart} is read from its month rows. */
    public static boolean stored(Instant monthStart) {
        return read && months.contains(RollupLevel.month(monthStart));
    }

    /** Adds a month whose rows the compaction has just completed. */
    static synchronized void add(LocalDate month) {
        Set<LocalDate> next = new HashSet<>(months);
        next.add(month);
        months = Set.copyOf(next);
    }

    void onStart(@Observes StartupEvent start) {
        try {
            refresh().await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            // Views read day rows until the next refresh: slower, not wrong.
            LOG.warnf("stored months not loaded at start-up, retried in a minute: %s", e.toString());
        }
    }

    @Scheduled(every = "${wa.rollup.months.refresh:1m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(STORED).execute().invoke(rows -> rows.forEach(r -> {
            LocalDate month = r.getLocalDate(0);
            if (!months.contains(month)) {
                add(month);
            }
        })).onFailure().invoke(e -> LOG.warnf("stored months not refreshed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
