package io.workflowanalytics.common.health;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * The key figures of a service from its Micrometer registry, per interval between two calls of {@link #sample()}:
 * the 5xx share and mean time of HTTP server requests ({@code http.server.requests}, which Quarkus records for
 * application endpoints, not for {@code /q/*}), and the largest current partition lag of the Kafka consumers the
 * Quarkus Kafka binder registers ({@code kafka.consumer.fetch.manager.records.lag}, per topic and partition; the
 * client-level {@code records.lag.max}, a windowed maximum, when no partition figure is there yet).
 * Not thread-safe: one caller at a time (the reporter's non-overlapping checks).
 */
public final class ServiceFigures {

    static final String HTTP_REQUESTS = "http.server.requests";
    static final String PARTITION_LAG = "kafka.consumer.fetch.manager.records.lag";
    static final String MAX_LAG = "kafka.consumer.fetch.manager.records.lag.max";

    private final MeterRegistry registry;
    private Totals previous = new Totals(0, 0, 0);

    public ServiceFigures(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The interval's figures; errorRate and responseTimeMs are null when no request ended in it. */
    public record Sample(Double errorRate, Double responseTimeMs, Long consumerLag) {
    }

    public Sample sample() {
        Totals now = httpTotals();
        Totals delta = now.minus(previous);
        if (delta.requests < 0 || delta.errors < 0 || delta.millis < 0) {
            delta = now; // meters were removed (e.g. the registry was cleared): count from zero again
        }
        previous = now;
        Double errorRate = delta.requests == 0 ? null : (double) delta.errors / delta.requests;
        Double meanMillis = delta.requests == 0 ? null : delta.millis / delta.requests;
        return new Sample(errorRate, meanMillis, consumerLag());
    }

    private Totals httpTotals() {
        long requests = 0;
        long errors = 0;
        double millis = 0;
        for (Timer timer : registry.find(HTTP_REQUESTS).timers()) {
            long count = timer.count();
            requests += count;
            millis += timer.totalTime(TimeUnit.MILLISECONDS);
            if (serverError(timer)) {
                errors += count;
            }
        }
        return new Totals(requests, errors, millis);
    }

    private static boolean serverError(Timer timer) {
        String outcome = timer.getId().getTag("outcome");
        if (outcome != null) {
            return outcome.equals("SERVER_ERROR");
        }
        String status = timer.getId().getTag("status");
        return status != null && status.startsWith("5");
    }

    private Long consumerLag() {
        Long lag = largest(PARTITION_LAG);
        return lag != null ? lag : largest(MAX_LAG);
    }

    /** The largest finite, non-negative value of the named meters (the client reports NaN before assignment). */
    private Long largest(String name) {
        double max = -1;
        for (Meter meter : registry.find(name).meters()) {
            for (Measurement m : meter.measure()) {
                double v = m.getValue();
                if (Double.isFinite(v) && v > max) {
                    max = v;
                }
            }
        }
        return max < 0 ? null : (long) max;
    }

    private record Totals(long requests, long errors, double millis) {
        Totals minus(Totals o) {
            return new Totals(requests - o.requests, errors - o.errors, millis - o.millis);
        }
    }
}
