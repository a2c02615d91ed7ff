-- Periodic real-time snapshots (spec: realtime_monitoring). workflow_id keeps its column but not the reference to
-- the platform's workflows table; instants are timestamptz (docs/architecture.md).
CREATE TABLE realtime_monitoring (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id       UUID        NOT NULL,
    "timestamp"       TIMESTAMPTZ NOT NULL DEFAULT now(),
    active_executions INTEGER     NOT NULL,
    queued_executions INTEGER     NOT NULL,
    system_health     JSONB       NOT NULL,
    alerts            JSONB       NOT NULL DEFAULT '[]',
    performance       JSONB       NOT NULL,
    resources         JSONB       NOT NULL,
    events            JSONB       NOT NULL DEFAULT '[]'
);
CREATE INDEX idx_realtime_monitoring_workflow_time ON realtime_monitoring (workflow_id, "timestamp" DESC);
CREATE INDEX idx_realtime_monitoring_timestamp ON realtime_monitoring ("timestamp" DESC);
