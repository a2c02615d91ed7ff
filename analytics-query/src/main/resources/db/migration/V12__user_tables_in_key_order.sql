-- The users' daily counts (V7) in key order, with room for their updates (docs/architecture.md, "Closed days
-- rewritten in key order"). Outcome batches rewrite a user's rows as the days go by, each new version wherever a
-- page had room, between other workflows' rows: after a 90-day backfill a workflow's 1,705 user_hours rows lay on
-- 536 pages and its 445 user_activity rows on 274, where in key order they fill ~90 and ~25. RollupCompaction
-- rewrites each workflow's rows in key order after the day's rewrite; the free room (fillfactor 70) keeps the
-- day's updates in their pages (heap-only, as the rollups' are) between two rewrites.
ALTER TABLE user_hours SET (fillfactor = 70);
ALTER TABLE user_activity SET (fillfactor = 70);
CLUSTER user_hours USING user_hours_pkey;
DO $$
DECLARE
    unique_index TEXT;
BEGIN
    SELECT c.relname INTO unique_index
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = 'user_activity'::regclass AND i.indisunique;
    EXECUTE format('CLUSTER user_activity USING %I', unique_index);
END
$$;
