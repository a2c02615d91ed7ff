package io.workflowanalytics.query.costs;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.Problem;
import io.workflowanalytics.common.problem.ProblemException;
import io.workflowanalytics.common.security.Roles;
import io.workflowanalytics.common.time.TimeRange;
import io.workflowanalytics.common.time.TimeRanges;
import io.workflowanalytics.common.web.QueryParams;
import io.workflowanalytics.query.cache.CacheKey;
import io.workflowanalytics.query.cache.ViewCache;
import io.workflowanalytics.query.costs.CostOptimizer.PlannedStep;
import io.workflowanalytics.query.costs.CostOptimizer.Proposal;
import io.workflowanalytics.query.view.ViewSupport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Page 05, cost optimisation (spec: Get Cost Analysis, Apply Cost Optimization), and the workflow's budgets. */
@Path("/api/workflows/{workflowId}/analytics/costs")
@Tag(name = "Costs", description = "Cost totals, breakdown, trends, optimisation, budgets and forecast")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class CostResource {

    /** Recommendations that can be applied are those of this window, ending now. */
    static final Duration OPTIMIZATION_WINDOW = Duration.ofDays(30);

    private final CostService service;
    private final BudgetRepository budgets;
    private final OptimizationJobRepository jobs;
    private final ViewSupport views;
    private final ViewCache cache;
    private final CurrentIdentityAssociation identities;
    private final Clock clock;

    public CostResource(CostService service, BudgetRepository budgets, OptimizationJobRepository jobs,
                        ViewSupport views, ViewCache cache, CurrentIdentityAssociation identities) {
        this.service = service;
        this.budgets = budgets;
        this.jobs = jobs;
        this.views = views;
        this.cache = cache;
        this.identities = identities;
        this.clock = Clock.systemUTC();
    }

    @GET
    @Operation(summary = "Cost analysis over a time range: summary, breakdown, trend, optimisation, budgets, "
            + "forecast")
    public Uni<Response> costs(
            @PathParam("workflowId") @Parameter(example = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10") String workflowId,
            @QueryParam("timeRange") @Parameter(description = "1h, 24h, 7d, 30d, 90d (default 30d)") String timeRange,
            @QueryParam("start") @Parameter(description = "ISO start instead of timeRange") String start,
            @QueryParam("end") @Parameter(description = "ISO end (exclusive)") String end,
            @QueryParam("granularity") @Parameter(description = "day, week or month (default day)", example = "day")
            String granularity,
            @QueryParam("includeOptimizations") @Parameter(description = "default true") String includeOptimizations) {
        ViewSupport.ViewRange range = views.range(timeRange, start, end, "30d");
        CostPeriod width = QueryParams.enumValue(CostPeriod.class, "granularity", granularity);
        CostPeriod bucket = width == null ? CostPeriod.DAY : width;
        boolean optimizations = QueryParams.bool("includeOptimizations", includeOptimizations, true);
        String variant = bucket.wire() + (optimizations ? "" : ":no-optimizations");
        return views.cached(CacheKey.costs(workflowId, range.label(), variant),
                () -> service.analyse(UUID.fromString(workflowId), range.range(), bucket, optimizations));
    }

    @GET
    @Path("/budgets")
    @Operation(summary = "The workflow's cost budgets (day, week, month)")
    public Uni<List<CostBudget>> listBudgets(@PathParam("workflowId") String workflowId) {
        return budgets.list(UUID.fromString(workflowId));
    }

    @PUT
    @Path("/budgets/{period}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Sets the budget of a period (day, week or month), replacing any earlier one")
    public Uni<CostBudget> putBudget(
            @PathParam("workflowId") String workflowId,
            @PathParam("period") @Parameter(description = "day, week or month", example = "month") String period,
            BudgetRequest body) {
        CostPeriod p = period(period);
        if (body == null) {
            throw ProblemException.invalid("body", "is required: {\"amount\": 250.00, \"currency\": \"USD\"}");
        }
        String currency = body.validatedCurrency();
        UUID workflow = UUID.fromString(workflowId);
        return who().chain(by -> budgets.put(workflow, p, body.amount(), currency, by))
                .call(() -> cache.invalidate(List.of(workflow)));
    }

    @DELETE
    @Path("/budgets/{period}")
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Removes the budget of a period")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No budget for this period")
    public Uni<Response> deleteBudget(@PathParam("workflowId") String workflowId,
                                      @PathParam("period") String period) {
        CostPeriod p = period(period);
        UUID workflow = UUID.fromString(workflowId);
        return budgets.delete(workflow, p).call(() -> cache.invalidate(List.of(workflow))).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("A " + p.wire() + " budget of this workflow");
            }
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/optimize")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    @Operation(summary = "Applies recommendations of the last 30 days: stores a job with its implementation plan")
    @APIResponse(responseCode = "202", description = "Job accepted")
    public Uni<Response> optimize(@PathParam("workflowId") String workflowId, OptimizeRequest body) {
        if (body == null) {
            throw ProblemException.invalid("body", "is required");
        }
        List<String> ids = body.optimizationIds();
        if (ids == null || ids.isEmpty()) {
            throw ProblemException.invalid("optimizationIds", "must list at least one recommendation id");
        }
        Instant now = clock.instant();
        boolean immediately = Boolean.TRUE.equals(body.applyImmediately());
        Instant scheduleTime = scheduleTime(body.scheduleTime(), immediately, now);
        UUID workflow = UUID.fromString(workflowId);
        return service.proposals(workflow, new TimeRange(now.minus(OPTIMIZATION_WINDOW), now))
                .chain(proposals -> {
                    List<Proposal> chosen = choose(ids, proposals);
                    double savings = 0;
                    List<ImplementationStep> plan = new ArrayList<>();
                    for (Proposal p : chosen) {
                        savings += p.recommendation().estimatedSavings();
                        for (PlannedStep s : p.plan()) {
                            plan.add(new ImplementationStep(plan.size() + 1, s.action(), s.description(),
                                    s.estimatedDuration(), s.risk()));
                        }
                    }
                    plan.add(new ImplementationStep(plan.size() + 1, "verify_savings",
                            "Compare the cost analysis of the 30 days after the change with the 30 days before",
                            "P30D", "low"));
                    BigDecimal estimated = BigDecimal.valueOf(savings).setScale(4, RoundingMode.HALF_UP);
                    String status = immediately ? "in_progress" : "scheduled";
                    Instant when = immediately ? now : scheduleTime;
                    return who().chain(by -> jobs.insert(workflow, status, ids, estimated, plan, when, by));
                })
                .map(job -> Response.accepted(job).build());
    }

    @GET
    @Path("/optimize/{jobId}")
    @Operation(summary = "An optimisation job of this workflow")
    @APIResponse(responseCode = "404", description = "No such job for this workflow")
    public Uni<OptimizationJob> job(@PathParam("workflowId") String workflowId,
                                    @PathParam("jobId") String jobId) {
        UUID id = UUID.fromString(QueryParams.uuid("jobId", jobId));
        return jobs.find(UUID.fromString(workflowId), id).map(job -> {
            if (job == null) {
                throw ProblemException.notFound("Optimisation job " + jobId);
            }
            return job;
        });
    }

    private static CostPeriod period(String period) {
        CostPeriod p = QueryParams.enumValue(CostPeriod.class, "period", period);
        if (p == null) {
            throw ProblemException.invalid("period", "must be one of day, week, month");
        }
        return p;
    }

    private static Instant scheduleTime(String value, boolean immediately, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (immediately) {
            throw ProblemException.invalid("scheduleTime", "give either scheduleTime or applyImmediately=true");
        }
        Instant at = TimeRanges.instant("scheduleTime", value);
        if (!at.isAfter(now)) {
            throw ProblemException.invalid("scheduleTime", "must be in the future");
        }
        return at;
    }

    /** The proposals named by {@code ids}, in request order; unknown or repeated ids are 400s with their index. */
    private static List<Proposal> choose(List<String> ids, List<Proposal> proposals) {
        Map<String, Proposal> byId = new LinkedHashMap<>();
        proposals.forEach(p -> byId.put(p.recommendation().id(), p));
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Proposal> chosen = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (!byId.containsKey(id)) {
                errors.add(Problem.FieldError.item(i, "optimizationIds", "'" + id + "' is not a current "
                        + "recommendation; current: " + String.join(", ", byId.keySet()), "invalid_value"));
            } else if (!seen.add(id)) {
                errors.add(Problem.FieldError.item(i, "optimizationIds", "'" + id + "' is listed twice",
                        "invalid_value"));
            } else {
                chosen.add(byId.get(id));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "validation", "Invalid request",
                    "optimizationIds: " + errors.get(0).message(), errors);
        }
        return chosen;
    }

    private Uni<String> who() {
        return identities.getDeferredIdentity().map(identity -> identity.getPrincipal().getName());
    }
}
