package io.workflowanalytics.common.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import io.workflowanalytics.common.messaging.LazyAdmin;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Readiness of the Kafka broker, answered within {@code wa.health.kafka-timeout} (default 3 s). Quarkus's own Kafka
 * check waits for the admin client's 60 s API timeout when the broker is gone, which makes a readiness probe time out
 * instead of answering DOWN; this one asks with a deadline and never blocks the event loop.
 */
@Readiness
@ApplicationScoped
public class KafkaBrokerHealthCheck implements AsyncHealthCheck {

    public static final String NAME = "Kafka broker connection";

    private final String bootstrapServers;
    private final Duration timeout;
    private final LazyAdmin admin;

    public KafkaBrokerHealthCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
                                  @ConfigProperty(name = "wa.health.kafka-timeout", defaultValue = "3s") Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        this.admin = new LazyAdmin(bootstrapServers, "readiness-probe", timeout);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int millis = (int) timeout.toMillis();
        return Uni.createFrom()
                .completionStage(() -> admin.get().describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                        .nodes().toCompletionStage())
                .map(nodes -> HealthCheckResponse.named(NAME).up()
                        .withData("bootstrap.servers", bootstrapServers)
                        .withData("nodes", nodes.stream().map(n -> n.host() + ":" + n.port())
                                .collect(Collectors.joining(",")))
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down()
                        .withData("bootstrap.servers", bootstrapServers)
                        .withData("reason", String.valueOf(e.getMessage()))
                        .build());
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
