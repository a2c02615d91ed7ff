-- The whole workflow's sums of a metric per UTC hour of the day, one row per UTC day (docs/architecture.md,
-- "Rollups"): the usage view's hour-of-day profile over 90 days read ~2,000 hour rows (~120 pages, its slowest
-- statement); from here it reads one row per whole day, and hour and minute rows only at the range's edges. Kept
-- for EXECUTION_COUNT (RollupBatch.HOURS_OF_DAY), in the rollup transaction from the metrics counted as new, so a
-- redelivered metric counts once here as there; kept like day rows (no purge), rewritten in key order with them
-- (RollupCompaction).
CREATE TABLE day_hour_sums (
    workflow_id UUID        NOT NULL,
    metric_type VARCHAR(50) NOT NULL,
    day         DATE        NOT NULL,
    sums        NUMERIC[]   NOT NULL CHECK (cardinality(sums) = 24),
    PRIMARY KEY (workflow_id, metric_type, day)
);

-- Adds two days' sums hour by hour.
CREATE FUNCTION hour_sums_add(a NUMERIC[], b NUMERIC[]) RETURNS NUMERIC[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u(x, y, i)
$$;

-- The days already rolled up, from their hour rows (the days past the hour level's horizon have none, and had no
-- hour-of-day profile before either).
INSERT INTO day_hour_sums (workflow_id, metric_type, day, sums)
SELECT workflow_id, metric_type, day, array_agg(coalesce(s, 0) ORDER BY h)
FROM (SELECT d.workflow_id, d.metric_type, d.day, h.h, r.s
      FROM (SELECT DISTINCT workflow_id, metric_type, (bucket AT TIME ZONE 'UTC')::date AS day
            FROM metric_rollups
            WHERE metric_type = 'execution_count' AND dim_key = '' AND level = 'hour') d
      CROSS JOIN generate_series(0, 23) AS h(h)
      LEFT JOIN (SELECT workflow_id, (bucket AT TIME ZONE 'UTC')::date AS day,
                        extract(hour FROM bucket AT TIME ZONE 'UTC')::int AS h, sum(sum) AS s
                 FROM metric_rollups
                 WHERE metric_type = 'execution_count' AND dim_key = '' AND level = 'hour'
                 GROUP BY 1, 2, 3) r
             ON r.workflow_id = d.workflow_id AND r.day = d.day AND r.h = h.h) cells
GROUP BY workflow_id, metric_type, day
ORDER BY workflow_id, metric_type, day;
