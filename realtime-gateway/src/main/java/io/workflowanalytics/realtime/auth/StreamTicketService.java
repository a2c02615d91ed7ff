package io.workflowanalytics.realtime.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Issues and redeems stream tickets. A ticket is 32 random bytes; Redis keeps, under the SHA-256 of it, who it was
 * issued to and for which workflow, for {@code wa.realtime.ticket-ttl}, and GETDEL redeems it once: any replica can
 * accept it, nobody can use it twice, and a leaked URL is worthless seconds later. The ticket never reaches a log.
 */
@ApplicationScoped
public class StreamTicketService {

    private static final String KEY_PREFIX = "realtime:ticket:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ReactiveValueCommands<String, String> redis;
    private final Duration ttl;

    public StreamTicketService(ReactiveRedisDataSource redis,
                               @ConfigProperty(name = "wa.realtime.ticket-ttl", defaultValue = "30s") Duration ttl) {
        this.redis = redis.value(String.class, String.class);
        this.ttl = ttl;
    }

    /** What a redeemed ticket stands for. */
    public record Grant(String subject, String workflowId, List<String> roles) {
    }

    public Uni<StreamTicket> issue(String subject, String workflowId, List<String> roles) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expiresAt = Instant.now().plus(ttl);
        String grant = EventJson.toString(new Grant(subject, workflowId, roles));
        return redis.set(KEY_PREFIX + hash(ticket), grant, new SetArgs().px(ttl.toMillis()))
                .replaceWith(new StreamTicket(ticket, workflowId, expiresAt,
                        "/api/workflows/" + workflowId + "/analytics/realtime/stream?ticket=" + ticket,
                        "/api/workflows/" + workflowId + "/analytics/stream?ticket=" + ticket));
    }

    /** The grant of a valid ticket, consumed by this call; null when unknown, used or expired. */
    public Uni<Grant> redeem(String ticket) {
        return redis.getdel(KEY_PREFIX + hash(ticket))
                .map(json -> json == null ? null : EventJson.fromString(json, Grant.class));
    }

    static String hash(String ticket) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
