-- Stored analyses (spec: performance_analyses, usage_patterns, error_analyses, cost_analyses), written by the
-- scheduled analysis jobs. workflow_id keeps its column but not the reference to the platform's workflows table;
-- instants are timestamptz (docs/architecture.md).
CREATE TABLE performance_analyses (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id      UUID          NOT NULL,
    analysis_date    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    time_range_start TIMESTAMPTZ   NOT NULL,
    time_range_end   TIMESTAMPTZ   NOT NULL,
    metrics          JSONB         NOT NULL,
    bottlenecks      JSONB         NOT NULL DEFAULT '[]',
    recommendations  JSONB         NOT NULL DEFAULT '[]',
    trends           JSONB         NOT NULL DEFAULT '[]',
    confidence       DECIMAL(5, 4) NOT NULL DEFAULT 0.0,
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_performance_analyses_workflow ON performance_analyses (workflow_id);
CREATE INDEX idx_performance_analyses_date ON performance_analyses (analysis_date DESC);

CREATE TABLE usage_patterns (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id      UUID          NOT NULL,
    pattern_type     VARCHAR(50)   NOT NULL,
    time_frame_start TIMESTAMPTZ   NOT NULL,
    time_frame_end   TIMESTAMPTZ   NOT NULL,
    pattern_data     JSONB         NOT NULL,
    user_data        JSONB         NOT NULL DEFAULT '[]',
    geographic_data  JSONB         NOT NULL DEFAULT '[]',
    confidence       DECIMAL(5, 4) NOT NULL DEFAULT 0.0,
    predictions      JSONB         NOT NULL DEFAULT '[]',
    created_at       TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_usage_patterns_workflow ON usage_patterns (workflow_id);
CREATE INDEX idx_usage_patterns_type ON usage_patterns (pattern_type);

CREATE TABLE error_analyses (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id         UUID          NOT NULL,
    analysis_date       TIMESTAMPTZ   NOT NULL DEFAULT now(),
    time_range_start    TIMESTAMPTZ   NOT NULL,
    time_range_end      TIMESTAMPTZ   NOT NULL,
    total_errors        INTEGER       NOT NULL,
    error_rate          DECIMAL(8, 6) NOT NULL,
    error_categories    JSONB         NOT NULL,
    root_cause_analysis JSONB         NOT NULL DEFAULT '[]',
    error_trends        JSONB         NOT NULL DEFAULT '[]',
    resolution_metrics  JSONB         NOT NULL DEFAULT '{}',
    alerts              JSONB         NOT NULL DEFAULT '[]',
    created_at          TIMESTAMPTZ   NOT NULL DEFAULT now()
);
CREATE INDEX idx_error_analyses_workflow ON error_analyses (workflow_id);
CREATE INDEX idx_error_analyses_date ON error_analyses (analysis_date DESC);
CREATE INDEX idx_error_analyses_rate ON error_analyses (error_rate DESC);

CREATE TABLE cost_analyses (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id        UUID           NOT NULL,
    analysis_date      TIMESTAMPTZ    NOT NULL DEFAULT now(),
    time_range_start   TIMESTAMPTZ    NOT NULL,
    time_range_end     TIMESTAMPTZ    NOT NULL,
    total_cost         DECIMAL(12, 4) NOT NULL,
    cost_per_execution DECIMAL(10, 6) NOT NULL,
    cost_breakdown     JSONB          NOT NULL,
    cost_trends        JSONB          NOT NULL DEFAULT '[]',
    optimization       JSONB          NOT NULL DEFAULT '{}',
    forecasting        JSONB          NOT NULL DEFAULT '{}',
    budget_analysis    JSONB          NOT NULL DEFAULT '{}',
    created_at         TIMESTAMPTZ    NOT NULL DEFAULT now()
);
CREATE INDEX idx_cost_analyses_workflow ON cost_analyses (workflow_id);
CREATE INDEX idx_cost_analyses_date ON cost_analyses (analysis_date DESC);
CREATE INDEX idx_cost_analyses_cost ON cost_analyses (total_cost DESC);
