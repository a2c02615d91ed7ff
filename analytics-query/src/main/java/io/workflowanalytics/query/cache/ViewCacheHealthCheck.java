package io.workflowanalytics.query.cache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Readiness of the view cache: always UP (views are computed uncached without Redis), with
 * {@code status: degraded} while Redis does not answer a PING within a second.
 */
@Readiness
@ApplicationScoped
public class ViewCacheHealthCheck implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;
    private final ViewCache cache;

    public ViewCacheHealthCheck(ReactiveRedisDataSource redis, ViewCache cache) {
        this.redis = redis;
        this.cache = cache;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING").ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(pong -> {
                    cache.recovered();
                    return HealthCheckResponse.named("redis-cache").up().withData("status", "ok").build();
                })
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("redis-cache").up()
                        .withData("status", "degraded")
                        .withData("detail", "Redis unreachable; views are served uncached").build());
    }
}
