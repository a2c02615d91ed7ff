package io.workflowanalytics.common.messaging;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.Map;

/**
 * A Kafka admin client created on first use (a service that never asks opens no connection for it) with a deadline on
 * every request, so that an absent broker fails a call within {@code timeout} instead of the client's default 60 s.
 */
public final class LazyAdmin implements AutoCloseable {

    private final Map<String, Object> config;
    private volatile Admin admin;

    public LazyAdmin(String bootstrapServers, String clientId, Duration timeout) {
        int millis = (int) timeout.toMillis();
        this.config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, clientId,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    }

    public Admin get() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(config);
                }
                current = admin;
            }
        }
        return current;
    }

    @Override
    public void close() {
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(1));
        }
    }
}
