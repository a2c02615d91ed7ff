-- Month rollup rows for closed months (docs/architecture.md, "Month rows"): a 90-day breakdown read 90 day rows per
-- grouping value; with its whole months as month rows it reads about a third of that. A month's rows are the sums
-- of its day rows, written by RollupCompaction once the month has closed, and kept by every rollup batch from the
-- moment the month is listed here (so late metrics reach them too). Views read a month's rows once it is stored.
-- The new check admits every row the old one did, so it need not scan the table to be valid.
ALTER TABLE metric_rollups DROP CONSTRAINT metric_rollups_level_check;
ALTER TABLE metric_rollups ADD CONSTRAINT metric_rollups_level_check
    CHECK (level IN ('minute', 'hour', 'day', 'month')) NOT VALID;

-- A listed month (stored = false) has its month rows kept by every batch while the compaction fills each
-- workflow's from its day rows; stored = true once every workflow's are complete, from when views read them.
CREATE TABLE rollup_compacted_months (
    month       DATE        PRIMARY KEY CHECK (extract(day FROM month) = 1),
    stored      BOOLEAN     NOT NULL DEFAULT false,
    workflows   INTEGER,
    rows        BIGINT,
    listed_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ
);
