-- Raw metrics (spec: analytics_metrics), declaratively partitioned by time.
-- Departures from the spec, documented in docs/architecture.md:
--  * workflow_id keeps its column but not the reference to the platform's workflows table (not ours).
--  * "timestamp" and created_at are timestamptz: every instant on the wire is UTC-qualified.
--  * the primary key is (id, "timestamp"): a partitioned table's unique keys must include the partition key.
--    A redelivered metric has the same id and timestamp, so the key still stores it once.
CREATE TABLE analytics_metrics (
    id                UUID             NOT NULL DEFAULT gen_random_uuid(),
    workflow_id       UUID             NOT NULL,
    metric_type       VARCHAR(50)      NOT NULL,
    value             DECIMAL(15, 6)   NOT NULL,
    "timestamp"       TIMESTAMPTZ      NOT NULL,
    dimensions        JSONB            NOT NULL DEFAULT '{}',
    tags              TEXT[],
    source            VARCHAR(50)      NOT NULL,
    aggregation_level VARCHAR(20)      NOT NULL,
    created_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (id, "timestamp")
) PARTITION BY RANGE ("timestamp");

-- The spec's indexes, created on the parent so that every partition gets them.
CREATE INDEX idx_analytics_metrics_workflow_time ON analytics_metrics (workflow_id, "timestamp" DESC);
CREATE INDEX idx_analytics_metrics_type ON analytics_metrics (metric_type);
CREATE INDEX idx_analytics_metrics_source ON analytics_metrics (source);
CREATE INDEX idx_analytics_metrics_tags ON analytics_metrics USING GIN (tags);
CREATE INDEX idx_analytics_metrics_workflow_type_time ON analytics_metrics (workflow_id, metric_type, "timestamp" DESC);
CREATE INDEX idx_analytics_metrics_dimensions ON analytics_metrics USING GIN (dimensions);

-- The spec's materialized view of daily performance; refreshed by the ingest jobs once data flows.
CREATE MATERIALIZED VIEW daily_performance_metrics AS
SELECT workflow_id,
       date_trunc('day', "timestamp")                                    AS date,
       avg(value) FILTER (WHERE metric_type = 'execution_time')          AS avg_execution_time,
       count(*) FILTER (WHERE metric_type = 'execution_count')           AS total_executions,
       avg(value) FILTER (WHERE metric_type = 'success_rate')            AS success_rate
FROM analytics_metrics
WHERE metric_type IN ('execution_time', 'execution_count', 'success_rate')
GROUP BY workflow_id, date_trunc('day', "timestamp")
WITH NO DATA;

CREATE UNIQUE INDEX idx_daily_performance_metrics_key ON daily_performance_metrics (workflow_id, date);
