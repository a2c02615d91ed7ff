-- Rollup upserts as HOT updates (docs/architecture.md, "Rollups"; docs/benchmarks.md, 2026-12-03 (night)).
-- An UPDATE is heap-only (HOT: no new index entries, the old version pruned within its page, nothing for vacuum to
-- remove from the indexes) only when it changes no indexed column, INCLUDE columns too. V5 made the primary key
-- INCLUDE count, sum, sum_sq, min and max, and the whole-workflow index count and sum, so that views read totals
-- from the index alone: every upsert changes those, so no rollup update was HOT (0 of 747,927 after a 10-workflow
-- run), each wrote new entries into both indexes, and vacuum had to sweep both.
CREATE UNIQUE INDEX metric_rollups_key ON metric_rollups (workflow_id, metric_type, dim_key, level, bucket, dim_value);
ALTER TABLE metric_rollups DROP CONSTRAINT metric_rollups_pkey;
ALTER TABLE metric_rollups ADD CONSTRAINT metric_rollups_pkey PRIMARY KEY USING INDEX metric_rollups_key;

-- workflow_id never changes, so including it keeps the dashboard's filter by workflow in the index.
DROP INDEX idx_metric_rollups_whole;
CREATE INDEX idx_metric_rollups_whole ON metric_rollups (metric_type, level, bucket) INCLUDE (workflow_id)
    WHERE dim_key = '';

-- Room in each page for the next versions of its rows (a sketch grows as it fills): a HOT update needs it there.
ALTER TABLE metric_rollups SET (fillfactor = 70);
