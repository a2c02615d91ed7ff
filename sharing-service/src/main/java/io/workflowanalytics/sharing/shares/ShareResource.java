package io.workflowanalytics.sharing.shares;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** The share links of a workflow's dashboards: type, permissions, expiry and access counts, never the secrets. */
@Path("/api/workflows/{workflowId}/analytics/shares")
@Tag(name = "Shares", description = "Share links of a workflow's analytics")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.EDITOR)
public class ShareResource {

    private final ShareRepository repository;

    public ShareResource(ShareRepository repository) {
        this.repository = repository;
    }

    @GET
    @Operation(summary = "Share links of a workflow, newest first (without their secrets)")
    public Uni<List<Map<String, Object>>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return repository.list(workflowId, limit);
    }
}
