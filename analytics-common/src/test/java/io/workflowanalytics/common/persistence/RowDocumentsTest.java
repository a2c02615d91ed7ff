package io.workflowanalytics.common.persistence;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RowDocumentsTest {

    @Test
    void snakeCaseColumnsBecomeCamelCaseFields() {
        assertEquals("timeRangeStart", RowDocuments.camelCase("time_range_start"));
        assertEquals("id", RowDocuments.camelCase("id"));
        assertEquals("p95ExecutionTime", RowDocuments.camelCase("p95_execution_time"));
    }
}
