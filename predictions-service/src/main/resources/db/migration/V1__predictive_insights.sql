-- Predictions (spec: predictive_insights). workflow_id keeps its column but not the reference to the platform's
-- workflows table; instants are timestamptz (docs/architecture.md).
CREATE TABLE predictive_insights (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id       UUID          NOT NULL,
    prediction_date   TIMESTAMPTZ   NOT NULL DEFAULT now(),
    time_horizon      VARCHAR(20)   NOT NULL,
    predictions       JSONB         NOT NULL,
    confidence        DECIMAL(5, 4) NOT NULL,
    model_info        JSONB         NOT NULL,
    anomalies         JSONB         NOT NULL DEFAULT '[]',
    recommendations   JSONB         NOT NULL DEFAULT '[]',
    capacity_planning JSONB         NOT NULL DEFAULT '{}',
    created_at        TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_predictive_insights_workflow ON predictive_insights (workflow_id);
CREATE INDEX idx_predictive_insights_date ON predictive_insights (prediction_date DESC);
