-- Alert rules and the alerts they raise (docs/views/alerts.md). A rule belongs to one workflow; rows marked
-- is_default are the configured default rules (wa.alerts.defaults.*) materialised for a workflow the first time they
-- applied to it, so that their evaluation state survives restarts. Their parameters follow the configuration.
CREATE TABLE alert_rules (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id       UUID             NOT NULL,
    type              VARCHAR(40)      NOT NULL CHECK (type IN ('error_rate_spike', 'performance_degradation',
                                                                'resource_exhaustion', 'system_failure',
                                                                'cost_threshold_exceeded')),
    enabled           BOOLEAN          NOT NULL DEFAULT true,
    -- The configured default this row materialises ('error_rate_spike', 'resource_exhaustion.cpu', …), else NULL.
    default_key       VARCHAR(60),
    severity          VARCHAR(12)      NOT NULL CHECK (severity IN ('info', 'warning', 'critical', 'emergency')),
    threshold         DOUBLE PRECISION NOT NULL,
    factor            DOUBLE PRECISION NOT NULL DEFAULT 1,
    min_delta         DOUBLE PRECISION NOT NULL DEFAULT 0,
    clear_ratio       DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    resource          VARCHAR(20),
    budget_period     VARCHAR(10),
    window_seconds    INTEGER          NOT NULL,
    baseline_seconds  INTEGER          NOT NULL,
    min_samples       INTEGER          NOT NULL,
    for_seconds       INTEGER          NOT NULL,
    clear_for_seconds INTEGER          NOT NULL,
    cooldown_seconds  INTEGER          NOT NULL,
    created_by        TEXT             NOT NULL,
    created_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ      NOT NULL DEFAULT now(),
    -- Evaluation state: since when the condition holds without an open alert (minimum duration before firing),
    -- since when it is clear with an open alert (minimum duration before resolving), and until when the rule raises
    -- nothing new (cooldown after a resolve, or the end of a suppression).
    pending_since     TIMESTAMPTZ,
    clear_since       TIMESTAMPTZ,
    quiet_until       TIMESTAMPTZ
);
CREATE INDEX idx_alert_rules_workflow ON alert_rules (workflow_id);
CREATE UNIQUE INDEX uq_alert_rules_default ON alert_rules (workflow_id, default_key) WHERE default_key IS NOT NULL;
-- The sweep's work: rules with a minimum duration running.
CREATE INDEX idx_alert_rules_pending ON alert_rules (workflow_id)
    WHERE pending_since IS NOT NULL OR clear_since IS NOT NULL;

-- The spec's Alert, with its lifecycle and what was measured. rule_id keeps no reference: a deleted rule's alerts
-- stay readable.
CREATE TABLE alerts (
    id                  UUID PRIMARY KEY,
    workflow_id         UUID             NOT NULL,
    rule_id             UUID             NOT NULL,
    type                VARCHAR(40)      NOT NULL,
    severity            VARCHAR(12)      NOT NULL,
    title               TEXT             NOT NULL,
    description         TEXT             NOT NULL,
    "timestamp"         TIMESTAMPTZ      NOT NULL,
    status              VARCHAR(12)      NOT NULL CHECK (status IN ('active', 'acknowledged', 'suppressed',
                                                                    'resolved')),
    affected_components JSONB            NOT NULL DEFAULT '[]',
    recommendations     JSONB            NOT NULL DEFAULT '[]',
    estimated_impact    TEXT             NOT NULL DEFAULT '',
    value               DOUBLE PRECISION,
    threshold           DOUBLE PRECISION,
    -- The baseline learned when the alert fired: its clear level is computed from it, not from a baseline that the
    -- incident itself is raising.
    baseline            DOUBLE PRECISION,
    acknowledged_at     TIMESTAMPTZ,
    acknowledged_by     TEXT,
    suppressed_until    TIMESTAMPTZ,
    suppressed_by       TEXT,
    resolved_at         TIMESTAMPTZ,
    resolved_by         TEXT,
    resolution          VARCHAR(40),
    updated_at          TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX idx_alerts_workflow ON alerts (workflow_id, "timestamp" DESC);
-- At most one open alert per rule: the last guard against two replicas firing the same rule.
CREATE UNIQUE INDEX uq_alerts_open_per_rule ON alerts (rule_id) WHERE status IN ('active', 'acknowledged', 'suppressed');

-- Transactional outbox of analytics.alerts: each transition writes its AlertEvent here in the transaction that
-- changes the alert; AlertPublisher sends the rows in id order and deletes them once the broker acknowledged.
CREATE TABLE alert_outbox (
    id          BIGSERIAL PRIMARY KEY,
    workflow_id UUID        NOT NULL,
    payload     TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- When the sweep last ran, cluster-wide: a replica sweeps only when the others have not within the interval.
CREATE TABLE alert_sweep (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    swept_at   TIMESTAMPTZ NOT NULL
);
INSERT INTO alert_sweep (id, swept_at) VALUES (1, '-infinity');
