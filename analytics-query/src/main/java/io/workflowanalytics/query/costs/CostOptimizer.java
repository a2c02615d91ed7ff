package io.workflowanalytics.query.costs;

import io.workflowanalytics.query.costs.CostAnalysis.CostOptimization;
import io.workflowanalytics.query.costs.CostAnalysis.OptimizationRecommendation;
import io.workflowanalytics.query.costs.CostAnalysis.QuickWin;
import io.workflowanalytics.query.costs.CostAnalysis.Strategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cost optimisation rules: which recommendations the spend of a month supports and what each would save. The
 * savings shares are planning assumptions, not measurements (docs/views/costs.md lists them); rules that act on
 * the same spend apply one after the other, so together they never claim more than that spend. A recommendation's
 * id is its type: stable across recomputations, so a client can apply what it was shown.
 */
final class CostOptimizer {

    /** Share of API spend that caching repeated calls saves. */
    static final double CACHING_SHARE = 0.20;
    /** Share of the API spend left after caching that batching calls saves. */
    static final double BATCHING_SHARE = 0.10;
    /** Rightsizing applies below this average CPU (%) … */
    static final double RIGHTSIZE_BELOW_CPU = 40;
    /** … and shrinks compute so that the average CPU reaches this target (%). */
    static final double TARGET_CPU = 70;
    /** Share of the compute spend left after rightsizing that off-peak or discounted capacity saves. */
    static final double SCHEDULING_SHARE = 0.10;
    /** Share of storage and network spend that compression and cheaper tiers save. */
    static final double INFRASTRUCTURE_SHARE = 0.15;
    /** Share of third-party spend that consolidating providers and volume pricing save. */
    static final double THIRD_PARTY_SHARE = 0.10;

    /** Spend over 30 days by category, and the average CPU (%) over the same data, null when unknown. */
    record MonthlySpend(double compute, double storage, double network, double apiCalls, double thirdPartyServices,
                        double overhead, Double cpuAverage) {

        double total() {
            return compute + storage + network + apiCalls + thirdPartyServices + overhead;
        }
    }

    /** One step of carrying out a recommendation; {@code estimatedDuration} is ISO-8601. */
    record PlannedStep(String action, String description, String estimatedDuration, String risk) {
    }

    /** A recommendation with the plan that carries it out. */
    record Proposal(OptimizationRecommendation recommendation, List<PlannedStep> plan) {
    }

    private CostOptimizer() {
    }

    /** The recommendations the spend supports, largest saving first. */
    static List<Proposal> propose(MonthlySpend spend) {
        List<Proposal> out = new ArrayList<>();
        if (spend.apiCalls() > 0) {
            double caching = spend.apiCalls() * CACHING_SHARE;
            out.add(proposal("caching", "Cache the responses of API calls repeated with the same arguments",
                    caching, "low", "1-2 weeks", "low", List.of(
                            step("identify_repeated_calls", "Find the API calls repeated with the same arguments "
                                    + "across executions", "P1D", "low"),
                            step("enable_response_cache", "Cache their responses for as long as the data allows",
                                    "P2D", "low"),
                            step("monitor_cache_hit_rate", "Watch the cache hit rate and the API spend for a week",
                                    "P7D", "low"))));
            double batching = (spend.apiCalls() - caching) * BATCHING_SHARE;
            out.add(proposal("request_batching", "Batch API requests that go to the same service in one execution",
                    batching, "medium", "2-4 weeks", "low", List.of(
                            step("group_calls", "Group the requests each execution sends to the same endpoint",
                                    "P3D", "low"),
                            step("use_batch_endpoints", "Send them through the provider's batch endpoint", "P5D",
                                    "medium"),
                            step("verify_results", "Compare results and error rates with the unbatched calls", "P3D",
                                    "low"))));
        }
        double rightsizing = 0;
        if (spend.compute() > 0 && spend.cpuAverage() != null && spend.cpuAverage() < RIGHTSIZE_BELOW_CPU) {
            rightsizing = spend.compute() * (1 - Math.max(0, spend.cpuAverage()) / TARGET_CPU);
            out.add(proposal("resource_rightsizing", String.format(java.util.Locale.ROOT,
                            "Average CPU is %.1f%%: size compute down so that it runs near %.0f%%",
                            spend.cpuAverage(), TARGET_CPU),
                    rightsizing, "medium", "1-2 weeks", "medium", List.of(
                            step("measure_peaks", "Check peak CPU and memory against the smaller size", "P1D", "low"),
                            step("resize_compute", "Move the workflow's runners to the smaller size", "P2D",
                                    "medium"),
                            step("watch_latency", "Watch execution times and failures for a week", "P7D", "low"))));
        }
        if (spend.compute() > 0) {
            double scheduling = (spend.compute() - rightsizing) * SCHEDULING_SHARE;
            out.add(proposal("scheduling", "Run executions that are not urgent off-peak on discounted capacity",
                    scheduling, "medium", "2-4 weeks", "low", List.of(
                            step("classify_executions", "Mark which triggers can wait", "P2D", "low"),
                            step("schedule_off_peak", "Queue those executions for off-peak, discounted capacity",
                                    "P5D", "medium"),
                            step("verify_deadlines", "Check that deferred executions still meet their deadlines",
                                    "P7D", "low"))));
        }
        if (spend.storage() + spend.network() > 0) {
            out.add(proposal("infrastructure_change",
                    "Compress stored and transferred data and move cold data to a cheaper storage tier",
                    (spend.storage() + spend.network()) * INFRASTRUCTURE_SHARE, "high", "1-3 months", "medium",
                    List.of(step("profile_data", "Measure what is stored and transferred, and how often it is read",
                                    "P5D", "low"),
                            step("compress_and_tier", "Compress payloads and move cold data to a cheaper tier",
                                    "P14D", "medium"),
                            step("migrate", "Migrate existing data and switch the workflow over", "P14D", "high"))));
        }
        if (spend.thirdPartyServices() > 0) {
            out.add(proposal("api_optimization",
                    "Consolidate third-party services and negotiate volume pricing",
                    spend.thirdPartyServices() * THIRD_PARTY_SHARE, "medium", "1-2 months", "low", List.of(
                            step("inventory_services", "List the third-party services and what each costs", "P2D",
                                    "low"),
                            step("negotiate_pricing", "Consolidate overlapping services and negotiate volume tiers",
                                    "P21D", "low"),
                            step("switch_plans", "Move to the new plans", "P5D", "medium"))));
        }
        out.sort(Comparator.comparingDouble((Proposal p) -> p.recommendation().estimatedSavings()).reversed()
                .thenComparing(p -> p.recommendation().id()));
        return out;
    }

    /** The view's summary: total savings, their share of the monthly spend, quick wins and long-term strategies. */
    static CostOptimization summarise(List<Proposal> proposals, double monthlyTotal) {
        List<OptimizationRecommendation> all = new ArrayList<>();
        List<QuickWin> quick = new ArrayList<>();
        List<Strategy> longTerm = new ArrayList<>();
        double savings = 0;
        for (Proposal p : proposals) {
            OptimizationRecommendation r = p.recommendation();
            all.add(r);
            savings += r.estimatedSavings();
            if ("low".equals(r.implementationEffort())) {
                quick.add(new QuickWin(r.id(), r.description(), r.estimatedSavings(), r.timeToValue()));
            } else {
                longTerm.add(new Strategy(r.id(), r.description(), r.estimatedSavings(), r.implementationEffort(),
                        r.timeToValue(), r.riskLevel()));
            }
        }
        double percentage = monthlyTotal > 0 ? savings / monthlyTotal * 100 : 0;
        return new CostOptimization(savings, percentage, all, quick, longTerm);
    }

    private static Proposal proposal(String type, String description, double savings, String effort,
                                     String timeToValue, String risk, List<PlannedStep> plan) {
        List<String> steps = plan.stream().map(PlannedStep::description).toList();
        return new Proposal(new OptimizationRecommendation(type, type, description, savings, effort, timeToValue,
                risk, steps), plan);
    }

    private static PlannedStep step(String action, String description, String duration, String risk) {
        return new PlannedStep(action, description, duration, risk);
    }
}
