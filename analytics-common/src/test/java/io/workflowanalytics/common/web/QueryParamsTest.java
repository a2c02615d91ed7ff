package io.workflowanalytics.common.web;

import io.workflowanalytics.common.events.MetricType;
import io.workflowanalytics.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryParamsTest {

    @Test
    void enumValueReadsTheWireSpelling() {
        assertEquals(MetricType.EXECUTION_TIME, QueryParams.enumValue(MetricType.class, "metricType", "execution_time"));
        assertNull(QueryParams.enumValue(MetricType.class, "metricType", null));
    }

    @Test
    void unknownEnumValueListsTheChoices() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> QueryParams.enumValue(MetricType.class, "metricType", "EXECUTION_TIME"));
        assertEquals("metricType", e.errors().get(0).field());
        assertTrue(e.getMessage().contains("execution_count, execution_time, success_rate"), e.getMessage());
    }

    @Test
    void aListParameterMayBeRepeatedAndCommaSeparatedAtOnce() {
        assertEquals(java.util.List.of(MetricType.COST, MetricType.EXECUTION_TIME, MetricType.ERROR_RATE),
                QueryParams.enumList(MetricType.class, "metrics",
                        java.util.List.of("cost,execution_time", "error_rate", "cost"), java.util.List.of()));
        java.util.List<MetricType> fallback = java.util.List.of(MetricType.EXECUTION_COUNT);
        assertEquals(fallback, QueryParams.enumList(MetricType.class, "metrics", (java.util.List<String>) null,
                fallback));
        assertEquals(fallback, QueryParams.enumList(MetricType.class, "metrics", java.util.List.of(), fallback));
        // A bad item is named by its index across the repeats.
        ProblemException e = assertThrows(ProblemException.class, () -> QueryParams.enumList(MetricType.class,
                "metrics", java.util.List.of("cost,execution_time", "vibes"), fallback));
        assertEquals("metrics", e.errors().get(0).field());
        assertEquals(2, e.errors().get(0).index());
    }

    @Test
    void uuidIsCanonicalisedOrRejected() {
        assertEquals("3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10",
                QueryParams.uuid("workflowId", "3F0E4C52-6F1D-4D8E-9B3A-0C2F5E7A9B10"));
        for (String bad : new String[] {"1-1-1-1-1", "", "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b1", "x".repeat(36)}) {
            ProblemException e = assertThrows(ProblemException.class, () -> QueryParams.uuid("workflowId", bad));
            assertEquals(400, e.status());
            assertEquals("workflowId", e.errors().get(0).field());
        }
    }
}
