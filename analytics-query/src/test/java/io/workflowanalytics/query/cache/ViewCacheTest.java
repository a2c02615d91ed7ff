package io.workflowanalytics.query.cache;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.testing.RealInfrastructure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The view cache on the real Redis: hits, invalidation, and no stale store when data arrives mid-computation. */
@QuarkusTest
@QuarkusTestResource(RealInfrastructure.class)
class ViewCacheTest {

    @Inject
    ViewCache cache;

    private ViewCache.Lookup lookup(CacheKey key, String computed) {
        return cache.getOrCompute(key, () -> Uni.createFrom().item(computed)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void secondLookupIsAHitUntilTheWorkflowGetsNewData() {
        String workflow = UUID.randomUUID().toString();
        CacheKey key = CacheKey.performance(workflow, "24h", "");
        assertEquals("analytics:performance:" + workflow + ":24h", key.name());
        assertFalse(lookup(key, "{\"v\":1}").cached());
        ViewCache.Lookup second = lookup(key, "{\"v\":2}");
        assertTrue(second.cached());
        assertEquals("{\"v\":1}", second.json());

        cache.invalidate(List.of(UUID.fromString(workflow))).await().atMost(Duration.ofSeconds(5));
        ViewCache.Lookup after = lookup(key, "{\"v\":3}");
        assertFalse(after.cached());
        assertEquals("{\"v\":3}", after.json());
    }

    @Test
    void aReplicaThatSawRedisFailStillInvalidatesForTheReplicasThatDidNot() {
        // Another replica reaches Redis and would serve this workflow's cached views: the invalidation must get there
        // although this replica, after one timeout, serves views uncached for a while.
        String workflow = UUID.randomUUID().toString();
        CacheKey key = CacheKey.errors(workflow, "7d", "");
        lookup(key, "{\"v\":1}");
        assertTrue(lookup(key, "{\"v\":2}").cached());
        try {
            cache.failed(new IllegalStateException("a timeout on this replica only"));
            assertTrue(cache.degraded());
            cache.invalidate(List.of(UUID.fromString(workflow))).await().atMost(Duration.ofSeconds(5));
            // seen in Redis itself, as another replica sees it (this one would not serve it anyway while degraded)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(4))
                    .until(() -> !redis.key().exists(key.name()));
        } finally {
            cache.recovered();
        }
    }

    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    @Test
    void aViewComputedWhileNewDataArrivedIsNotStored() {
        String workflow = UUID.randomUUID().toString();
        CacheKey key = CacheKey.usage(workflow, "7d", "");
        // The computation reads the old data; new data is committed (and invalidates) before it finishes.
        ViewCache.Lookup first = cache.getOrCompute(key, () -> cache.invalidate(List.of(UUID.fromString(workflow)))
                .replaceWith("{\"stale\":true}")).await().atMost(Duration.ofSeconds(5));
        assertFalse(first.cached());
        ViewCache.Lookup next = lookup(key, "{\"fresh\":true}");
        assertFalse(next.cached(), "the stale view must not have been stored");
        assertEquals("{\"fresh\":true}", next.json());
        assertTrue(lookup(key, "{\"unused\":true}").cached());
    }

    @Test
    void aViewAskedForWithTheIdInCapitalsIsInvalidatedWithTheWorkflow() {
        String workflow = UUID.randomUUID().toString();
        CacheKey key = CacheKey.performance(workflow.toUpperCase(java.util.Locale.ROOT), "24h", "");
        lookup(key, "{\"v\":1}");
        assertTrue(lookup(key, "{\"v\":2}").cached());
        cache.invalidate(List.of(UUID.fromString(workflow))).await().atMost(Duration.ofSeconds(5));
        assertFalse(lookup(key, "{\"v\":3}").cached(), "new data for the workflow drops it, however it was spelt");
    }

    @Test
    void otherWorkflowsKeepTheirCachedViews() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        lookup(CacheKey.errors(a, "7d", ""), "{}");
        lookup(CacheKey.errors(b, "7d", ""), "{}");
        cache.invalidate(List.of(UUID.fromString(a))).await().atMost(Duration.ofSeconds(5));
        assertFalse(lookup(CacheKey.errors(a, "7d", ""), "{}").cached());
        assertTrue(lookup(CacheKey.errors(b, "7d", ""), "{}").cached());
    }
}
