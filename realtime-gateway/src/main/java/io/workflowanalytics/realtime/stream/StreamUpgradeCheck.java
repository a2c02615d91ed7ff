package io.workflowanalytics.realtime.stream;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.ApiSecurityFilter;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.security.WorkflowAccess;
import io.workflowanalytics.common.web.QueryParams;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;


/**
 * The WebSocket handshake gets the same rule as every {@code /api/**} call (the REST filter does not see upgrades):
 * 401 without a valid credential (a bearer token, or a stream ticket in the query string for browsers), 400 for a
 * workflow id that is not a UUID, 403 for a workflow the credential does not allow or a caller below viewer. A
 * refused handshake never becomes a connection.
 */
@ApplicationScoped
public class StreamUpgradeCheck implements HttpUpgradeCheck {

    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer"));

    private final WorkflowAccess access;

    public StreamUpgradeCheck(WorkflowAccess access) {
        this.access = access;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return RealtimeStreamSocket.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String workflowId;
        try {
            workflowId = QueryParams.uuid(ApiSecurityFilter.WORKFLOW_PARAM, context.pathParam("workflowId"));
        } catch (ProblemException e) {
            return CheckResult.rejectUpgrade(400);
        }
        // A bearer token that fails to verify fails this Uni, and Quarkus has answered 401 already.
        return context.securityIdentity().onFailure().recoverWithNull().map(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.rejectUpgradeSync(401, CHALLENGE);
            }
            if (!identity.hasRole(Roles.VIEWER) || !access.allows(identity, workflowId)) {
                return CheckResult.rejectUpgradeSync(403);
            }
            return CheckResult.permitUpgradeSync();
        });
    }
}
