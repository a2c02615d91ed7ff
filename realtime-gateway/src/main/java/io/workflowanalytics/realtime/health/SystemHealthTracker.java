package io.workflowanalytics.realtime.health;

import io.workflowanalytics.common.events.ComponentHealth;
import io.workflowanalytics.common.events.HealthEvent;
import io.workflowanalytics.common.events.HealthStatus;
import io.workflowanalytics.common.events.OverallHealth;
import io.workflowanalytics.common.events.SystemHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The suite's health as the gateway knows it from the services' reports on {@code analytics.health}: the latest
 * ComponentHealth of each component, and the spec's SystemHealth over them (docs/architecture.md, "System health").
 * Pure and thread-safe (every method synchronised); time is always passed in, so that tests script it.
 * <ul>
 *   <li><b>Changes.</b> {@link #apply} returns a change only when a component's status differs from the one the
 *   tracker knew. A component seen for the first time is a change only when it is not healthy: a gateway starting
 *   up learns every healthy service from its heartbeat, and that is no news to a viewer. A report whose
 *   {@code lastChecked} is older than the one recorded (a redelivery) is ignored.</li>
 *   <li><b>Staleness.</b> A component cannot report its own death: {@link #expire} marks {@code down} (score 0,
 *   lastChecked = now) every component whose last report arrived more than {@code staleAfter} ago. Arrival is
 *   measured by the gateway's clock ({@code now} of {@link #apply}), never the producer's, so clock skew between
 *   hosts does not matter.</li>
 *   <li><b>overall</b>: {@code unhealthy} when a component is down or critical, {@code degraded} when one is
 *   warning, else {@code healthy} (also with no component known yet).</li>
 *   <li><b>Episodes</b>: an episode is a period during which overall is unhealthy; it starts when some component
 *   becomes down or critical while none was, and ends when none is any more. {@code lastIncident} is the start of the
 *   latest episode; {@code mttr} the mean duration in seconds of the completed episodes (0 when none);
 *   {@code mtbf} the mean time in seconds between the starts of consecutive episodes, ongoing one included
 *   ({@code (last start − first start) / (n − 1)}; 0 when fewer than two). Only the latest {@code maxEpisodes}
 *   episodes are kept, and both means are over those.</li>
 *   <li><b>uptime</b>: the percentage (0..100) of the time since the tracker started during which overall was not
 *   unhealthy (100 at the start). Counted exactly, independent of the episodes kept.</li>
 * </ul>
 * Time never runs backwards: a {@code now} earlier than one already seen is taken as that one.
 */
public final class SystemHealthTracker {

    public static final int DEFAULT_MAX_EPISODES = 100;
    /** More distinct component names than this are ignored: a suite has six services, not thousands. */
    public static final int MAX_COMPONENTS = 256;

    private final Duration staleAfter;
    private final int maxEpisodes;
    private final Instant startedAt;

    private final Map<String, Tracked> components = new HashMap<>();
    private final Deque<Episode> episodes = new ArrayDeque<>();
    private OverallHealth overall = OverallHealth.HEALTHY;
    private Instant clock;
    private Duration unhealthyTime = Duration.ZERO;

    public SystemHealthTracker(Duration staleAfter, Instant startedAt) {
        this(staleAfter, startedAt, DEFAULT_MAX_EPISODES);
    }

    public SystemHealthTracker(Duration staleAfter, Instant startedAt, int maxEpisodes) {
        if (staleAfter.isNegative() || staleAfter.isZero() || maxEpisodes < 1) {
            throw new IllegalArgumentException("staleAfter must be positive and maxEpisodes at least 1");
        }
        this.staleAfter = staleAfter;
        this.maxEpisodes = maxEpisodes;
        this.startedAt = startedAt;
        this.clock = startedAt;
    }

    /** Records the event's ComponentHealth; a change when the component's status differs from what was known. */
    public synchronized Optional<HealthChange> apply(HealthEvent event, Instant now) {
        Instant at = advance(now);
        ComponentHealth reported = event == null ? null : event.component();
        if (reported == null || reported.status() == null) {
            return Optional.empty();
        }
        String name = reported.componentName() != null ? reported.componentName() : event.service();
        if (name == null) {
            return Optional.empty();
        }
        Tracked known = components.get(name);
        if (known == null && components.size() >= MAX_COMPONENTS) {
            return Optional.empty();
        }
        if (known != null && known.checkedAt() != null && reported.lastChecked() != null
                && reported.lastChecked().isBefore(known.checkedAt())) {
            return Optional.empty();
        }
        ComponentHealth health = name.equals(reported.componentName()) ? reported
                : new ComponentHealth(name, reported.status(), reported.responseTime(), reported.errorRate(),
                reported.lastChecked(), reported.healthScore());
        components.put(name, new Tracked(health, at, reported.lastChecked()));
        HealthStatus previous = known == null ? null : known.health().status();
        boolean changed = known == null ? health.status() != HealthStatus.HEALTHY : health.status() != previous;
        updateOverall(at);
        return changed ? Optional.of(new HealthChange(health, previous, snapshotAt(at))) : Optional.empty();
    }

    /** Marks down every component not heard of for longer than staleAfter; the changes in component name order. */
    public synchronized List<HealthChange> expire(Instant now) {
        Instant at = advance(now);
        List<HealthChange> changes = new ArrayList<>();
        List<String> names = components.keySet().stream().sorted().toList();
        for (String name : names) {
            Tracked t = components.get(name);
            if (t.health().status() == HealthStatus.DOWN
                    || Duration.between(t.reportedAt(), at).compareTo(staleAfter) <= 0) {
                continue;
            }
            ComponentHealth down = new ComponentHealth(name, HealthStatus.DOWN, null, null, at, 0.0);
            components.put(name, new Tracked(down, t.reportedAt(), t.checkedAt()));
            updateOverall(at);
            changes.add(new HealthChange(down, t.health().status(), snapshotAt(at)));
        }
        return List.copyOf(changes);
    }

    /** The spec's SystemHealth now; components sorted by name. */
    public synchronized SystemHealth snapshot(Instant now) {
        return snapshotAt(advance(now));
    }

    private SystemHealth snapshotAt(Instant at) {
        List<ComponentHealth> sorted = components.values().stream().map(Tracked::health)
                .sorted(Comparator.comparing(ComponentHealth::componentName)).toList();
        long total = Duration.between(startedAt, at).toMillis();
        double uptime = total <= 0 ? 100.0 : 100.0 * (total - unhealthyTime.toMillis()) / total;
        Episode latest = episodes.peekLast();
        return new SystemHealth(overall, sorted, uptime, latest == null ? null : latest.start(), mttr(), mtbf());
    }

    private double mttr() {
        long completed = 0;
        long millis = 0;
        for (Episode e : episodes) {
            if (e.end() != null) {
                completed++;
                millis += Duration.between(e.start(), e.end()).toMillis();
            }
        }
        return completed == 0 ? 0.0 : millis / 1000.0 / completed;
    }

    private double mtbf() {
        if (episodes.size() < 2) {
            return 0.0;
        }
        return Duration.between(episodes.peekFirst().start(), episodes.peekLast().start()).toMillis() / 1000.0
                / (episodes.size() - 1);
    }

    /** Moves the tracker's time to now (never backwards), counting the time overall spent unhealthy. */
    private Instant advance(Instant now) {
        if (now.isAfter(clock)) {
            if (overall == OverallHealth.UNHEALTHY) {
                unhealthyTime = unhealthyTime.plus(Duration.between(clock, now));
            }
            clock = now;
        }
        return clock;
    }

    private void updateOverall(Instant at) {
        OverallHealth next = overallOf(components.values());
        if (overall != OverallHealth.UNHEALTHY && next == OverallHealth.UNHEALTHY) {
            episodes.addLast(new Episode(at, null));
            while (episodes.size() > maxEpisodes) {
                episodes.removeFirst();
            }
        } else if (overall == OverallHealth.UNHEALTHY && next != OverallHealth.UNHEALTHY) {
            episodes.addLast(episodes.removeLast().endingAt(at));
        }
        overall = next;
    }

    private static OverallHealth overallOf(Iterable<Tracked> tracked) {
        OverallHealth result = OverallHealth.HEALTHY;
        for (Tracked t : tracked) {
            switch (t.health().status()) {
                case DOWN, CRITICAL -> {
                    return OverallHealth.UNHEALTHY;
                }
                case WARNING -> result = OverallHealth.DEGRADED;
                default -> {
                }
            }
        }
        return result;
    }

    /** The latest health of a component, when its last report arrived and the lastChecked it carried. */
    private record Tracked(ComponentHealth health, Instant reportedAt, Instant checkedAt) {
    }

    /** A period with overall unhealthy; end null while it lasts. */
    private record Episode(Instant start, Instant end) {
        Episode endingAt(Instant at) {
            return new Episode(start, at);
        }
    }
}
