package io.workflowanalytics.query.rollup;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.function.Function;

/**
 * Work that one replica at a time does on one connection, outside a transaction (VACUUM cannot run in one, and chunked
 * deletes commit chunk by chunk): a session advisory lock held for the work, released after it however it ended.
 */
final class SessionLock {

    private SessionLock() {
    }

    /** Runs {@code work} under the lock {@code key}; {@code whenHeld} at once if another session holds it. */
    static <T> Uni<T> run(Pool pool, long key, T whenHeld, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1)")
                .execute(Tuple.of(key)).chain(locked -> {
                    if (!locked.iterator().next().getBoolean(0)) {
                        return Uni.createFrom().item(whenHeld);
                    }
                    return work.apply(conn).eventually(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)")
                            .execute(Tuple.of(key)));
                }));
    }
}
