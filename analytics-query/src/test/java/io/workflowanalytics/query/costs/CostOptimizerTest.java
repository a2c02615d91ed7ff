package io.workflowanalytics.query.costs;

import io.workflowanalytics.query.costs.CostAnalysis.CostOptimization;
import io.workflowanalytics.query.costs.CostAnalysis.OptimizationRecommendation;
import io.workflowanalytics.query.costs.CostOptimizer.MonthlySpend;
import io.workflowanalytics.query.costs.CostOptimizer.Proposal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimisation rules' savings formulas, and that rules on the same spend never claim more than it. */
class CostOptimizerTest {

    private static Map<String, OptimizationRecommendation> byId(List<Proposal> proposals) {
        return proposals.stream().map(Proposal::recommendation)
                .collect(Collectors.toMap(OptimizationRecommendation::id, r -> r));
    }

    @Test
    void savingsFollowTheDocumentedFormulas() {
        MonthlySpend spend = new MonthlySpend(100, 20, 10, 50, 30, 5, 28.0);
        Map<String, OptimizationRecommendation> r = byId(CostOptimizer.propose(spend));
        assertEquals(50 * 0.20, r.get("caching").estimatedSavings(), 1e-12);
        assertEquals((50 - 10) * 0.10, r.get("request_batching").estimatedSavings(), 1e-12);
        double rightsizing = 100 * (1 - 28.0 / 70);
        assertEquals(rightsizing, r.get("resource_rightsizing").estimatedSavings(), 1e-12);
        assertEquals((100 - rightsizing) * 0.10, r.get("scheduling").estimatedSavings(), 1e-12);
        assertEquals(30 * 0.15, r.get("infrastructure_change").estimatedSavings(), 1e-12);
        assertEquals(30 * 0.10, r.get("api_optimization").estimatedSavings(), 1e-12);
        r.values().forEach(x -> assertEquals(x.type(), x.id()));
    }

    @Test
    void rightsizingNeedsLowCpuAndNothingIsProposedWithoutSpend() {
        assertTrue(!byId(CostOptimizer.propose(new MonthlySpend(100, 0, 0, 0, 0, 0, 40.0)))
                .containsKey("resource_rightsizing"));
        assertTrue(!byId(CostOptimizer.propose(new MonthlySpend(100, 0, 0, 0, 0, 0, null)))
                .containsKey("resource_rightsizing"));
        assertTrue(CostOptimizer.propose(new MonthlySpend(0, 0, 0, 0, 0, 7, 5.0)).isEmpty());
    }

    @Test
    void summaryAddsSavingsAndSplitsQuickWinsFromLongTermStrategies() {
        MonthlySpend spend = new MonthlySpend(100, 0, 0, 50, 0, 0, 10.0);
        List<Proposal> proposals = CostOptimizer.propose(spend);
        CostOptimization o = CostOptimizer.summarise(proposals, spend.total());
        double sum = proposals.stream().mapToDouble(p -> p.recommendation().estimatedSavings()).sum();
        assertEquals(sum, o.potentialSavings(), 1e-12);
        assertEquals(sum / 150 * 100, o.savingsPercentage(), 1e-12);
        assertTrue(sum <= spend.total());
        assertEquals(List.of("caching"), o.quickWins().stream().map(CostAnalysis.QuickWin::id).toList());
        assertEquals(proposals.size() - 1, o.longTermStrategies().size());
        for (int i = 1; i < o.recommendations().size(); i++) {
            assertTrue(o.recommendations().get(i - 1).estimatedSavings() >= o.recommendations().get(i)
                    .estimatedSavings());
        }
        assertEquals(0, CostOptimizer.summarise(List.of(), 0).savingsPercentage());
    }
}
