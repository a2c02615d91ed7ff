-- The closed UTC days whose hour and day rollup rows RollupCompaction has rewritten in key order (docs/architecture.md,
-- "Closed days rewritten in key order"). A workflow's rows of a day are created by many batches, between its hour
-- rows and other workflows' rows: a 90-day view read ~3 of its rows per page, and uncached pages cost far more than
-- rows. Rewritten, they lie together. A day listed here is not rewritten again; late metrics for it update its rows
-- in place.
CREATE TABLE rollup_compacted_days (
    day         DATE        PRIMARY KEY,
    workflows   INTEGER     NOT NULL,
    rows        BIGINT      NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
