package io.workflowanalytics.realtime.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticates a stream handshake that carries {@code ?ticket=} (and no Authorization header, which the JWT
 * mechanism handles first). Only the two stream paths accept tickets: a ticket is no credential for anything else.
 */
@ApplicationScoped
public class StreamTicketAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String TICKET_PARAM = "ticket";
    private static final Pattern STREAM_PATH = Pattern.compile(
            "^/api/workflows/([^/]+)/analytics/(?:realtime/stream|stream)$");

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String ticket = context.request().getParam(TICKET_PARAM);
        if (ticket == null || ticket.isBlank() || context.request().getHeader("Authorization") != null) {
            return Uni.createFrom().nullItem();
        }
        Matcher path = STREAM_PATH.matcher(context.normalizedPath());
        if (!path.matches()) {
            return Uni.createFrom().nullItem();
        }
        return identities.authenticate(new StreamTicketRequest(ticket, path.group(1)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(StreamTicketRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER,
                TICKET_PARAM));
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY - 100; // after the bearer token
    }
}
