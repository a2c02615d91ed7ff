package io.workflowanalytics.common.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.web.QueryParams;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards every {@code /api/**} REST call of every service, whatever its annotations say: the caller must be
 * authenticated (else 401), and every path parameter named {@value #WORKFLOW_PARAM} must be a workflow the caller's
 * credential allows (else 403). Authentication runs lazily here (proactive authentication is off) so that its
 * failures reach the problem+json mappers instead of ending as bare status codes.
 */
public class ApiSecurityFilter {

    /** The path parameter name that every per-workflow resource uses for the workflow id. */
    public static final String WORKFLOW_PARAM = "workflowId";

    private final CurrentIdentityAssociation identities;
    private final WorkflowAccess access;

    public ApiSecurityFilter(CurrentIdentityAssociation identities, WorkflowAccess access) {
        this.identities = identities;
        this.access = access;
    }

    @ServerRequestFilter(priority = jakarta.ws.rs.Priorities.AUTHENTICATION)
    public Uni<Response> authorise(UriInfo uri) {
        if (!uri.getPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> {
            if (identity.isAnonymous()) {
                throw new UnauthorizedException();
            }
            String workflowId = uri.getPathParameters().getFirst(WORKFLOW_PARAM);
            if (workflowId != null) {
                access.require(identity, QueryParams.uuid(WORKFLOW_PARAM, workflowId));
            }
            return null;
        });
    }
}
