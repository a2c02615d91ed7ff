package io.workflowanalytics.realtime.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.WorkflowAccess;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;

/**
 * Turns a redeemed ticket into an identity: its subject, its roles, and exactly the one workflow it was issued for
 * (the {@value WorkflowAccess#WORKFLOWS_ATTRIBUTE} attribute that the common authorisation rule reads). A ticket
 * presented on another workflow's path is refused and spent.
 */
@ApplicationScoped
public class StreamTicketIdentityProvider implements IdentityProvider<StreamTicketRequest> {

    private final StreamTicketService tickets;

    public StreamTicketIdentityProvider(StreamTicketService tickets) {
        this.tickets = tickets;
    }

    @Override
    public Class<StreamTicketRequest> getRequestType() {
        return StreamTicketRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(StreamTicketRequest request, AuthenticationRequestContext context) {
        return tickets.redeem(request.ticket())
                .onFailure().transform(e -> new AuthenticationFailedException("stream tickets are unavailable"))
                .map(grant -> {
                    if (grant == null || !grant.workflowId().equals(request.workflowId().toLowerCase(Locale.ROOT))) {
                        throw new AuthenticationFailedException("unknown, used or expired stream ticket");
                    }
                    return QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(grant.subject()))
                            .addRoles(java.util.Set.copyOf(grant.roles()))
                            .addAttribute(WorkflowAccess.WORKFLOWS_ATTRIBUTE, List.of(grant.workflowId()))
                            .build();
                });
    }
}
