-- Share links (spec: analytics_shares). workflow_id and created_by keep their columns but not the references to the
-- platform's tables; instants are timestamptz (docs/architecture.md).
-- share_token holds the SHA-256 (hex, 64 characters) of the link's secret, never the secret itself: a leaked table
-- opens no dashboard. password_hash holds a bcrypt hash.
CREATE TABLE analytics_shares (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id     UUID         NOT NULL,
    share_token     VARCHAR(64)  NOT NULL UNIQUE,
    share_type      VARCHAR(50)  NOT NULL,
    permissions     JSONB        NOT NULL,
    recipients      TEXT[],
    expiration_date TIMESTAMPTZ,
    password_hash   VARCHAR(255),
    access_count    INTEGER      NOT NULL DEFAULT 0,
    last_accessed   TIMESTAMPTZ,
    created_by      VARCHAR(255),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_analytics_shares_workflow ON analytics_shares (workflow_id);
CREATE INDEX idx_analytics_shares_token ON analytics_shares (share_token);
CREATE INDEX idx_analytics_shares_expiration ON analytics_shares (expiration_date);
