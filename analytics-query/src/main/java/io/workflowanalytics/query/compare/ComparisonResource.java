package io.workflowanalytics.query.compare;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** Page 08, comparison analysis (spec: Create Comparison). Reads only: viewers may compare. */
@Path("/api/workflows/{workflowId}/analytics/compare")
@Tag(name = "Comparison", description = "Versions, environments, periods and A/B arms, with significance tests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ComparisonResource {

    private final ComparisonService service;

    public ComparisonResource(ComparisonService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Compare two sides metric by metric: distributions, difference with confidence interval, "
            + "test, p-value, effect size and verdict")
    public Uni<ComparisonResult> compare(@PathParam("workflowId") String workflowId, ComparisonRequest request) {
        return service.compare(UUID.fromString(workflowId), request);
    }
}
