-- Executions (beyond the spec): one row per execution, with per-node timings, for the analyses that need whole
-- executions (MTTR, per-node breakdowns, user segmentation). Lifecycle events upsert it: a completed or failed event
-- outranks a started one, whatever order they arrive in. Partitioned by start time like the raw metrics.
CREATE TABLE executions (
    execution_id     UUID             NOT NULL,
    workflow_id      UUID             NOT NULL,
    started_at       TIMESTAMPTZ      NOT NULL,
    status           VARCHAR(20)      NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    workflow_version VARCHAR(64),
    environment      VARCHAR(64),
    user_id          VARCHAR(128),
    user_type        VARCHAR(20),
    region           VARCHAR(64),
    country          CHAR(2),
    device_type      VARCHAR(32),
    finished_at      TIMESTAMPTZ,
    duration_ms      DOUBLE PRECISION,
    error_type       VARCHAR(50),
    error_message    TEXT,
    nodes            JSONB            NOT NULL DEFAULT '[]',
    resource_usage   JSONB,
    costs            JSONB            NOT NULL DEFAULT '[]',
    total_cost       DECIMAL(15, 6),
    last_event_id    UUID             NOT NULL,
    updated_at       TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, started_at)
) PARTITION BY RANGE (started_at);

CREATE INDEX idx_executions_workflow_time ON executions (workflow_id, started_at DESC);
CREATE INDEX idx_executions_workflow_status ON executions (workflow_id, status, started_at DESC);

-- Daily partitions named <table>_pYYYYMMDD. Created ahead of time and dropped by retention (PartitionJob); never
-- row-by-row deletes.
CREATE FUNCTION ensure_daily_partitions(parent TEXT, first_day DATE, last_day DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
    day     DATE := first_day;
    created INTEGER := 0;
    name    TEXT;
BEGIN
    WHILE day <= last_day LOOP
        name := parent || '_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                           name, parent, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
        day := day + 1;
    END LOOP;
    RETURN created;
END $$;

-- Drops the daily partitions of parent that end on or before cutoff; returns their names.
CREATE FUNCTION drop_daily_partitions_before(parent TEXT, cutoff DATE) RETURNS SETOF TEXT
LANGUAGE plpgsql AS $$
DECLARE
    part TEXT;
BEGIN
    FOR part IN
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE p.relname = parent AND n.nspname = current_schema()
          AND c.relname ~ ('^' || parent || '_p[0-9]{8}$')
          AND to_date(right(c.relname, 8), 'YYYYMMDD') + 1 <= cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE %I', part);
        RETURN NEXT part;
    END LOOP;
END $$;
