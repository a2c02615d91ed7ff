package io.workflowanalytics.realtime.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import io.workflowanalytics.common.security.WorkflowAccess;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticates a stream handshake that carries {@code ?ticket=} (and no Authorization header, which the JWT
 * mechanism handles first). Only the two stream paths accept tickets: a ticket is no credential for anything else.
 * A redeemed ticket becomes an identity of its subject with its roles and exactly the one workflow it was issued for
 * (the {@value WorkflowAccess#WORKFLOWS_ATTRIBUTE} attribute that the common authorisation rule reads). An unknown,
 * used or expired ticket, or one presented on another workflow's path (and so spent), leaves the caller anonymous,
 * which the endpoints answer with 401; it is never an authentication failure, whose handling would log the URL.
 */
@ApplicationScoped
public class StreamTicketAuthenticationMechanism implements HttpAuthenticationMechanism {

    private final StreamTicketService tickets;

    public StreamTicketAuthenticationMechanism(StreamTicketService tickets) {
        this.tickets = tickets;
    }

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
        String workflowId = path.group(1).toLowerCase(Locale.ROOT);
        return tickets.redeem(ticket).onFailure().recoverWithNull().map(grant -> {
            if (grant == null || !grant.workflowId().equals(workflowId)) {
                return null;
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(grant.subject()))
                    .addRoles(Set.copyOf(grant.roles()))
                    .addAttribute(WorkflowAccess.WORKFLOWS_ATTRIBUTE, List.of(grant.workflowId()))
                    .build();
        });
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(); // no IdentityProvider: the ticket is checked here, in Redis
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
