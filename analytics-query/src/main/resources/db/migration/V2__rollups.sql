-- Rollups of analytics.metrics (docs/architecture.md, "Rollups"): one row per workflow, metric type, grouping,
-- level and bucket, with count, exact sum, sum of squares (for variances), min, max and a DDSketch.
-- dim_key names the grouping: '' for the whole workflow (workflow-level metrics only), a dimension key such as
-- 'userId', 'region' or 'nodeId' for a breakdown by that dimension, or 'nodeId|errorType' for the pair.
CREATE TABLE metric_rollups (
    workflow_id UUID             NOT NULL,
    metric_type VARCHAR(50)      NOT NULL,
    dim_key     VARCHAR(40)      NOT NULL,
    dim_value   VARCHAR(300)     NOT NULL,
    level       VARCHAR(6)       NOT NULL CHECK (level IN ('minute', 'hour', 'day')),
    bucket      TIMESTAMPTZ      NOT NULL,
    count       BIGINT           NOT NULL,
    sum         NUMERIC          NOT NULL,
    sum_sq      DOUBLE PRECISION NOT NULL,
    min         DOUBLE PRECISION NOT NULL,
    max         DOUBLE PRECISION NOT NULL,
    sketch      BIGINT[]         NOT NULL,
    PRIMARY KEY (workflow_id, metric_type, dim_key, level, bucket, dim_value)
);

-- Merges two stored DDSketches (QuantileSketch's layout: slot << 40 | count per bucket, ascending by slot).
CREATE FUNCTION sketch_merge(a BIGINT[], b BIGINT[]) RETURNS BIGINT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg((slot << 40) | n ORDER BY slot), '{}')
    FROM (SELECT e >> 40 AS slot, sum(e & 1099511627775)::bigint AS n
          FROM unnest(a || b) AS e GROUP BY 1) s
$$;

-- Metric ids already counted into the rollups: analytics.metrics is at-least-once (a redelivered or re-produced
-- event is published again), so a batch counts only the ids this insert reports as new, in the same transaction
-- as the rollup update. Keyed by time first so that live inserts append at the right edge of the index.
CREATE TABLE applied_metrics (
    "timestamp" TIMESTAMPTZ NOT NULL,
    id          UUID        NOT NULL,
    PRIMARY KEY ("timestamp", id)
);

-- One row per finished execution of analytics.executions (completed or failed): what the rollups cannot hold,
-- such as the time from a failure to the next success (MTTR), error examples and recent critical errors.
CREATE TABLE execution_outcomes (
    workflow_id      UUID         NOT NULL,
    execution_id     UUID         NOT NULL,
    finished_at      TIMESTAMPTZ  NOT NULL,
    succeeded        BOOLEAN      NOT NULL,
    duration_ms      DOUBLE PRECISION,
    user_id          VARCHAR(128),
    workflow_version VARCHAR(64),
    environment      VARCHAR(64),
    region           VARCHAR(64),
    device_type      VARCHAR(32),
    error_type       VARCHAR(50),
    error_message    TEXT,
    failed_node_id   VARCHAR(128),
    PRIMARY KEY (workflow_id, execution_id)
);
CREATE INDEX idx_execution_outcomes_time ON execution_outcomes (workflow_id, finished_at);

-- Cost budgets set through the API (spec: BudgetAnalysis), one per workflow and period.
CREATE TABLE cost_budgets (
    workflow_id UUID           NOT NULL,
    period      VARCHAR(10)    NOT NULL CHECK (period IN ('day', 'week', 'month')),
    amount      DECIMAL(14, 4) NOT NULL CHECK (amount > 0),
    currency    VARCHAR(3)     NOT NULL DEFAULT 'USD',
    updated_by  TEXT           NOT NULL,
    updated_at  TIMESTAMPTZ    NOT NULL DEFAULT now(),
    PRIMARY KEY (workflow_id, period)
);

-- Cost optimisation jobs (POST .../costs/optimize) and their implementation plans.
CREATE TABLE optimization_jobs (
    id                UUID PRIMARY KEY,
    workflow_id       UUID           NOT NULL,
    status            VARCHAR(20)    NOT NULL,
    optimization_ids  TEXT[]         NOT NULL,
    estimated_savings DECIMAL(14, 4) NOT NULL,
    plan              JSONB          NOT NULL,
    scheduled_for     TIMESTAMPTZ,
    created_by        TEXT           NOT NULL,
    created_at        TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE INDEX idx_optimization_jobs_workflow ON optimization_jobs (workflow_id, created_at DESC);

-- Merges the sketches of many rollup rows in one pass of an aggregate query.
CREATE AGGREGATE sketch_merge_agg(BIGINT[]) (
    SFUNC = sketch_merge,
    STYPE = BIGINT[],
    INITCOND = '{}'
);

-- The nodes each workflow's executions reported, with their types (for bottleneck classification).
CREATE TABLE workflow_nodes (
    workflow_id UUID         NOT NULL,
    node_id     VARCHAR(128) NOT NULL,
    node_type   VARCHAR(64),
    PRIMARY KEY (workflow_id, node_id)
);
