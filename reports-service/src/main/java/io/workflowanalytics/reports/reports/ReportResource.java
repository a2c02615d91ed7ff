package io.workflowanalytics.reports.reports;

import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.security.WorkflowAccess;
import io.workflowanalytics.common.web.QueryParams;
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
import java.util.UUID;

/** A workflow's reports and the progress of one report. */
@Path("/api")
@Tag(name = "Reports", description = "Custom, scheduled and error reports")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ReportResource {

    private final ReportRepository repository;
    private final WorkflowAccess access;

    public ReportResource(ReportRepository repository, WorkflowAccess access) {
        this.repository = repository;
        this.access = access;
    }

    @GET
    @Path("/workflows/{workflowId}/analytics/reports")
    @Operation(summary = "Reports of a workflow, newest first")
    public Uni<List<Map<String, Object>>> list(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("status") @Parameter(example = "completed") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        // An unknown status would silently list nothing: a 400 naming it instead.
        ReportState state = QueryParams.enumValue(ReportState.class, "status", status);
        return repository.list(workflowId, state == null ? null : state.wire(), limit);
    }

    @GET
    @Path("/analytics/reports/{reportId}/status")
    @Operation(summary = "Status and progress of a report; downloadUrl once it is ready")
    public Uni<ReportStatus> status(@PathParam("reportId") String reportId) {
        UUID id = UUID.fromString(QueryParams.uuid("reportId", reportId));
        return repository.status(id).chain(stored -> {
            if (stored == null) {
                throw ProblemException.notFound("Report " + reportId);
            }
            // A download link only for a finished report: a failed or unfinished one may have a partial file.
            boolean ready = ReportState.COMPLETED.wire().equals(stored.status()) && stored.hasFile();
            return access.requireCurrent(stored.workflowId(), "Report " + reportId).replaceWith(new ReportStatus(
                    stored.status(), stored.progress(), stored.estimatedCompletion(),
                    ready ? "/api/analytics/reports/" + id + "/download" : null, stored.error()));
        });
    }
}
