package io.workflowanalytics.realtime.auth;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/workflows/{workflowId}/analytics/realtime/tickets}: a browser exchanges its bearer token for a
 * single-use ticket and opens the stream with {@code ?ticket=…}, so that no long-lived credential ever sits in a URL.
 */
@Path("/api/workflows/{workflowId}/analytics/realtime/tickets")
@Tag(name = "Real-time streams")
@RolesAllowed(Roles.VIEWER)
public class StreamTicketResource {

    private final StreamTicketService tickets;
    private final SecurityIdentity identity;

    public StreamTicketResource(StreamTicketService tickets, SecurityIdentity identity) {
        this.tickets = tickets;
        this.identity = identity;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A single-use ticket (valid 30 s) to open this workflow's WebSocket or SSE stream from a "
            + "browser: append ?ticket=… to the stream URL")
    public Uni<Response> issue(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId) {
        // A ticket carries the viewer role only: streams need nothing more.
        return tickets.issue(identity.getPrincipal().getName(), workflowId.toLowerCase(Locale.ROOT),
                        List.of(Roles.VIEWER))
                .onFailure().transform(e -> new ProblemException(503, "unavailable", "Service unavailable",
                        "stream tickets cannot be issued now (Redis unreachable); use a bearer token", null))
                .map(t -> Response.status(201).header("Cache-Control", "no-store").entity(t).build());
    }
}
