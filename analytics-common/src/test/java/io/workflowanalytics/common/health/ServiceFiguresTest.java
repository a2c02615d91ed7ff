package io.workflowanalytics.common.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceFiguresTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final ServiceFigures figures = new ServiceFigures(registry);

    private void requests(String status, String outcome, int count, long millisEach) {
        Timer timer = Timer.builder("http.server.requests").tag("method", "GET").tag("uri", "/api/x")
                .tag("status", status).tag("outcome", outcome).register(registry);
        for (int i = 0; i < count; i++) {
            timer.record(Duration.ofMillis(millisEach));
        }
    }

    @Test
    void noRequestsInTheIntervalMeansNoErrorRateAndNoResponseTime() {
        assertEquals(new ServiceFigures.Sample(null, null, null), figures.sample());
    }

    @Test
    void errorRateAndMeanResponseTimeCoverOnlyTheRequestsSinceTheLastSample() {
        requests("200", "SUCCESS", 8, 100);
        requests("503", "SERVER_ERROR", 2, 600);
        requests("404", "CLIENT_ERROR", 10, 10);
        // 2 of 20 are 5xx; (800 + 1200 + 100) / 20 ms
        assertEquals(new ServiceFigures.Sample(0.1, 105.0, null), figures.sample());

        requests("200", "SUCCESS", 3, 40);
        requests("500", "SERVER_ERROR", 1, 80);
        assertEquals(new ServiceFigures.Sample(0.25, 50.0, null), figures.sample());
        assertEquals(new ServiceFigures.Sample(null, null, null), figures.sample());
    }

    @Test
    void consumerLagIsTheLargestFinitePartitionLag() {
        Gauge.builder(ServiceFigures.PARTITION_LAG, () -> 120.0).tag("topic", "analytics.metrics")
                .tag("partition", "0").register(registry);
        Gauge.builder(ServiceFigures.PARTITION_LAG, () -> 4500.0).tag("topic", "analytics.metrics")
                .tag("partition", "1").register(registry);
        Gauge.builder(ServiceFigures.PARTITION_LAG, () -> Double.NaN).tag("topic", "analytics.metrics")
                .tag("partition", "2").register(registry);
        Gauge.builder(ServiceFigures.MAX_LAG, () -> 99_999.0).register(registry);
        assertEquals(4500L, figures.sample().consumerLag());
    }

    @Test
    void clientLevelMaximumStandsInWhileNoPartitionReportsLag() {
        Gauge.builder(ServiceFigures.PARTITION_LAG, () -> Double.NaN).tag("partition", "0").register(registry);
        Gauge.builder(ServiceFigures.MAX_LAG, () -> 37.0).tag("client.id", "c1").register(registry);
        assertEquals(37L, figures.sample().consumerLag());
    }
}
