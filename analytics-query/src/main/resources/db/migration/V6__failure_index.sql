-- The error view reads failures only (examples, the latest serious ones, the start of each failure episode): about
-- 2% of a workflow's outcomes. Through the covering time index it walked every outcome of the range (~28,000 over
-- 90 days of one workflow) to find them; this index holds the failures alone.
CREATE INDEX idx_execution_outcomes_failures ON execution_outcomes (workflow_id, finished_at, execution_id)
    INCLUDE (error_type, failed_node_id) WHERE NOT succeeded;
