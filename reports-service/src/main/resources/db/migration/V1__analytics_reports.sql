-- Reports (spec: analytics_reports). workflow_id and created_by keep their columns but not the references to the
-- platform's workflows and users tables; instants are timestamptz (docs/architecture.md). created_by is the token's
-- subject, which need not be a UUID, so it is text. progress, error_message and estimated_completion go beyond the
-- spec's columns: they back GET /api/analytics/reports/{reportId}/status.
CREATE TABLE analytics_reports (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id   UUID         NOT NULL,
    name          VARCHAR(255) NOT NULL,
    description   TEXT,
    template_id   UUID,
    configuration JSONB        NOT NULL,
    schedule      JSONB,
    recipients    TEXT[],
    status        VARCHAR(50)  NOT NULL DEFAULT 'draft',
    file_path     VARCHAR(500),
    file_size     BIGINT,
    progress      SMALLINT     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    error_message TEXT,
    estimated_completion TIMESTAMPTZ,
    created_by    VARCHAR(255),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_analytics_reports_workflow ON analytics_reports (workflow_id);
CREATE INDEX idx_analytics_reports_status ON analytics_reports (status);
CREATE INDEX idx_analytics_reports_created ON analytics_reports (created_at DESC);
