package io.workflowanalytics.query.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.set.ReactiveSetCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Caches computed views in Redis under the spec's key names and TTLs (ANALYTICS_CACHE_KEYS / ANALYTICS_CACHE_TTL).
 * Every cached key of a workflow is also listed in the set {@code analytics:keys:{workflowId}}; new data for the
 * workflow deletes them all, so a view is never served stale past the arrival of new data.
 * <p>
 * Redis is an accelerator, never a dependency: when it fails, views are computed uncached, further attempts are
 * skipped for {@link #BACK_OFF} (no request waits on a dead Redis), and {@link #degraded()} tells the health check.
 */
@ApplicationScoped
public class ViewCache {

    private static final Logger LOG = Logger.getLogger(ViewCache.class);
    static final Duration BACK_OFF = Duration.ofSeconds(5);
    private static final Duration OPERATION_TIMEOUT = Duration.ofMillis(500);

    private final ReactiveValueCommands<String, String> values;
    private final ReactiveSetCommands<String, String> sets;
    private final ReactiveKeyCommands<String> keys;
    private final Counter hits;
    private final Counter misses;
    private volatile long failedAtNanos;
    private volatile boolean everFailed;

    public ViewCache(ReactiveRedisDataSource redis, MeterRegistry registry) {
        this.values = redis.value(String.class, String.class);
        this.sets = redis.set(String.class, String.class);
        this.keys = redis.key(String.class);
        this.hits = registry.counter("wa.cache.requests", "result", "hit");
        this.misses = registry.counter("wa.cache.requests", "result", "miss");
    }

    /**
     * The cached JSON under {@code key}, or the computed one (then stored for {@code ttl}). {@code cached} tells the
     * caller which, for the {@code X-Cache} response header.
     */
    public Uni<Lookup> getOrCompute(CacheKey key, Supplier<Uni<String>> compute) {
        if (skipping()) {
            return compute.get().map(json -> new Lookup(json, false));
        }
        return values.get(key.name()).ifNoItem().after(OPERATION_TIMEOUT).fail()
                .onFailure().invoke(this::failed)
                .onFailure().recoverWithNull()
                .chain(hit -> {
                    if (hit != null) {
                        hits.increment();
                        return Uni.createFrom().item(new Lookup(hit, true));
                    }
                    misses.increment();
                    return compute.get().call(json -> store(key, json)).map(json -> new Lookup(json, false));
                });
    }

    /** Deletes every cached view of these workflows. */
    public Uni<Void> invalidate(Collection<UUID> workflows) {
        if (workflows.isEmpty() || skipping()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> steps = new ArrayList<>(workflows.size());
        for (UUID workflow : workflows) {
            String index = CacheKey.index(workflow.toString());
            steps.add(sets.smembers(index).chain(members -> {
                if (members.isEmpty()) {
                    return Uni.createFrom().voidItem();
                }
                List<String> all = new ArrayList<>(members);
                all.add(index);
                return keys.del(all.toArray(String[]::new)).replaceWithVoid();
            }));
        }
        return Uni.join().all(steps).andCollectFailures().replaceWithVoid()
                .ifNoItem().after(OPERATION_TIMEOUT.multipliedBy(4)).fail()
                .onFailure().invoke(this::failed).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** True while Redis is failing: views are then served uncached. */
    public boolean degraded() {
        return everFailed && System.nanoTime() - failedAtNanos < BACK_OFF.toNanos();
    }

    /** Forgets a past failure (the health check calls this after a successful ping). */
    public void recovered() {
        everFailed = false;
    }

    private Uni<Void> store(CacheKey key, String json) {
        String index = CacheKey.index(key.workflowId());
        return values.set(key.name(), json, new SetArgs().ex(key.ttl()))
                .chain(() -> sets.sadd(index, key.name()))
                .chain(() -> keys.expire(index, CacheKey.MAX_TTL))
                .ifNoItem().after(OPERATION_TIMEOUT).fail()
                .onFailure().invoke(this::failed).onFailure().recoverWithNull().replaceWithVoid();
    }

    private boolean skipping() {
        return degraded();
    }

    private void failed(Throwable e) {
        if (!degraded()) {
            LOG.warnf("Redis unavailable, serving views uncached for %ss: %s", BACK_OFF.toSeconds(), e.toString());
        }
        failedAtNanos = System.nanoTime();
        everFailed = true;
    }

    /** A view and whether it came from the cache. */
    public record Lookup(String json, boolean cached) {
    }
}
