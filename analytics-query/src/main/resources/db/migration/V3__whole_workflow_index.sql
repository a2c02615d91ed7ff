-- Whole-workflow rollup rows by type and time, across workflows: the dashboard's top workflows and the scheduled
-- analyses' active workflows read these without a workflow id. Partial, so the breakdown rows do not pay for it.
CREATE INDEX idx_metric_rollups_whole ON metric_rollups (metric_type, level, bucket) WHERE dim_key = '';
