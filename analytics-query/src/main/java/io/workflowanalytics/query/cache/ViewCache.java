package io.workflowanalytics.query.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Caches computed views in Redis under the spec's key names and TTLs (ANALYTICS_CACHE_KEYS / ANALYTICS_CACHE_TTL).
 * Every cached key of a workflow is also listed in the set {@code analytics:keys:{workflowId}}; new data for the
 * workflow deletes them all, so a view is never served stale past the arrival of new data. A view computed while
 * new data arrived must not be stored either: each invalidation increments {@code analytics:gen:{workflowId}}, and a
 * computed view is stored only if that generation is still the one read before computing (one atomic script).
 * <p>
 * Redis is an accelerator, never a dependency: when it fails, views are computed uncached, further attempts are
 * skipped for {@link #BACK_OFF} (no request waits on a dead Redis), and {@link #degraded()} tells the health check.
 */
@ApplicationScoped
public class ViewCache {

    private static final Logger LOG = Logger.getLogger(ViewCache.class);
    static final Duration BACK_OFF = Duration.ofSeconds(5);
    private static final Duration OPERATION_TIMEOUT = Duration.ofMillis(500);

    /** KEYS: generation, view, index. ARGV: generation read before computing, JSON, TTL seconds, index TTL. */
    private static final String STORE_IF_CURRENT = """
            if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
            redis.call('SADD', KEYS[3], KEYS[2])
            redis.call('EXPIRE', KEYS[3], ARGV[4])
            return 1""";

    /**
     * ARGV: workflow ids. Per workflow: the generation first (a view being computed now will not be stored), then
     * its cached views and their index. Key names are built here, so this suits a single Redis, not a cluster.
     */
    private static final String INVALIDATE = """
            for _, wf in ipairs(ARGV) do
              redis.call('INCR', 'analytics:gen:' .. wf)
              local index = 'analytics:keys:' .. wf
              local members = redis.call('SMEMBERS', index)
              for i = 1, #members, 500 do
                redis.call('DEL', unpack(members, i, math.min(i + 499, #members)))
              end
              redis.call('DEL', index)
            end
            return #ARGV""";

    private final ReactiveRedisDataSource redis;
    private final ReactiveValueCommands<String, String> values;
    private final Counter hits;
    private final Counter misses;
    static final int MAX_PENDING = 100_000;

    /** Workflows whose invalidation is owed since Redis failed. */
    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
    private volatile long failedAtNanos;
    private volatile boolean everFailed;

    public ViewCache(ReactiveRedisDataSource redis, MeterRegistry registry) {
        this.redis = redis;
        this.values = redis.value(String.class, String.class);
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
        if (!pending.isEmpty()) {
            // Redis is back: first the invalidations owed since it failed.
            return invalidate(List.of()).chain(() -> getOrCompute(key, compute));
        }
        String generation = CacheKey.generation(key.workflowId());
        return values.mget(key.name(), generation).ifNoItem().after(OPERATION_TIMEOUT).fail()
                .onFailure().invoke(this::failed)
                .onFailure().recoverWithNull()
                .chain(found -> {
                    String hit = found == null || pending.contains(UUID.fromString(key.workflowId())) ? null
                            : found.get(key.name());
                    if (hit != null) {
                        hits.increment();
                        return Uni.createFrom().item(new Lookup(hit, true));
                    }
                    misses.increment();
                    if (found == null) {
                        return compute.get().map(json -> new Lookup(json, false));
                    }
                    String seen = found.get(generation) == null ? "0" : found.get(generation);
                    return compute.get().call(json -> store(key, seen, json)).map(json -> new Lookup(json, false));
                });
    }

    /**
     * Deletes every cached view of these workflows. While Redis is failing the workflows are remembered (up to
     * {@link #MAX_PENDING}) and invalidated as soon as it answers again; until then this replica serves none of their
     * cached views.
     */
    public Uni<Void> invalidate(Collection<UUID> workflows) {
        if (skipping()) {
            // Redis failed moments ago, for this replica at least (one timeout is enough): other replicas may still
            // reach it and serve these workflows' views, so the invalidation is tried all the same, without holding
            // up the caller; what fails stays owed (retried every few seconds and with the next lookup).
            remember(workflows);
            send(Set.copyOf(pending)).subscribe().with(v -> { }, e -> { });
            return Uni.createFrom().voidItem();
        }
        Set<UUID> all = new HashSet<>(workflows);
        all.addAll(pending);
        return send(all);
    }

    /** Owed invalidations are retried on their own, not only when this replica next serves or consumes. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retryOwed() {
        return pending.isEmpty() ? Uni.createFrom().voidItem() : send(Set.copyOf(pending));
    }

    private Uni<Void> send(Set<UUID> all) {
        if (all.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(all.size() + 2);
        args.add(INVALIDATE);
        args.add("0");
        all.forEach(w -> args.add(w.toString()));
        // One round trip for the whole batch: a connection per workflow would exhaust the client's pool.
        return redis.execute("EVAL", args.toArray(String[]::new))
                .ifNoItem().after(OPERATION_TIMEOUT.multipliedBy(4)).fail()
                .invoke(() -> pending.removeAll(all))
                .onFailure().invoke(e -> {
                    failed(e);
                    remember(all);
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private void remember(Collection<UUID> workflows) {
        if (pending.size() + workflows.size() > MAX_PENDING) {
            LOG.warnf("more than %d workflows changed while Redis was failing: some cached views may be served "
                    + "until their TTL", MAX_PENDING);
            return;
        }
        pending.addAll(workflows);
    }

    /** True while Redis is failing: views are then served uncached. */
    public boolean degraded() {
        return everFailed && System.nanoTime() - failedAtNanos < BACK_OFF.toNanos();
    }

    /** Forgets a past failure (the health check calls this after a successful ping). */
    public void recovered() {
        everFailed = false;
    }

    private Uni<Void> store(CacheKey key, String generation, String json) {
        return redis.execute("EVAL", STORE_IF_CURRENT, "3", CacheKey.generation(key.workflowId()), key.name(),
                        CacheKey.index(key.workflowId()), generation, json, Long.toString(key.ttl().toSeconds()),
                        Long.toString(CacheKey.MAX_TTL.toSeconds()))
                .ifNoItem().after(OPERATION_TIMEOUT).fail()
                .onFailure().invoke(this::failed).onFailure().recoverWithNull().replaceWithVoid();
    }

    private boolean skipping() {
        return degraded();
    }

    /** Package-private for tests, which make this replica see Redis fail while it does not. */
    void failed(Throwable e) {
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
