-- What the usage view needs of single executions, kept per day so that a range's whole days are read from a few
-- hundred rows instead of every outcome in them (~28,000 over 90 days of one workflow; 27–43 ms per view). Each row
-- holds its executions as a running total per UTC day, in an array subscripted by the day's number since 1970-01-01
-- and dense from the row's first day to its last: the executions of whole days d1..d2 are
-- cumulative_at(days, d2) - cumulative_at(days, d1 - 1), two lookups whatever the range. The partial days at a
-- range's edges still come from execution_outcomes. Rows are maintained in the transaction that inserts the
-- outcomes, from the outcomes that insert reports as new, so a redelivered execution is counted once here as there.

-- Executions per day of each user with each combination of version, environment, region and device: distinct
-- users per dimension value. A workflow has a few hundred such combinations.
CREATE TABLE user_activity (
    workflow_id      UUID         NOT NULL,
    user_id          VARCHAR(128),
    workflow_version VARCHAR(64),
    environment      VARCHAR(64),
    region           VARCHAR(64),
    device_type      VARCHAR(32),
    days             INT[]        NOT NULL,
    UNIQUE NULLS NOT DISTINCT (workflow_id, user_id, workflow_version, environment, region, device_type)
);

-- Executions per day of each user in each UTC hour of the day: the top users' hours.
CREATE TABLE user_hours (
    workflow_id UUID         NOT NULL,
    user_id     VARCHAR(128) NOT NULL,
    hour        SMALLINT     NOT NULL CHECK (hour BETWEEN 0 AND 23),
    days        INT[]        NOT NULL,
    PRIMARY KEY (workflow_id, user_id, hour)
);

-- The running total of a day_counts array at day x: 0 before its first day, its last total after its last day.
CREATE FUNCTION cumulative_at(days INT[], x INT) RETURNS INT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN x < array_lower(days, 1) THEN 0
                WHEN x > array_upper(days, 1) THEN days[array_upper(days, 1)]
                ELSE days[x] END
$$;

-- Adds n executions on a day to per-day counts (the aggregate's state: sparse, the days between hold NULL).
CREATE FUNCTION day_counts_step(counts INT[], day INT, n INT) RETURNS INT[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    counts[day] := coalesce(counts[day], 0) + n;
    RETURN counts;
END
$$;

-- Per-day counts as running totals, dense from the first day to the last.
CREATE FUNCTION day_counts_running(counts INT[]) RETURNS INT[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    total INT := 0;
BEGIN
    IF cardinality(counts) > 0 THEN
        FOR d IN array_lower(counts, 1) .. array_upper(counts, 1) LOOP
            total := total + coalesce(counts[d], 0);
            counts[d] := total;
        END LOOP;
    END IF;
    RETURN counts;
END
$$;

-- Running totals per day of (day, executions) pairs.
CREATE AGGREGATE day_counts_agg(INT, INT) (
    SFUNC = day_counts_step,
    STYPE = INT[],
    FINALFUNC = day_counts_running,
    INITCOND = '{}'
);

-- The sum of two running-total arrays. b is a batch's few days, usually the last ones of a: only a's days from b's
-- first day on change, so a live update touches a day or two, not the row's whole history.
CREATE FUNCTION day_counts_add(a INT[], b INT[]) RETURNS INT[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    a_first INT := array_lower(a, 1);
    a_last  INT := array_upper(a, 1);
    b_first INT := array_lower(b, 1);
    b_last  INT := array_upper(b, 1);
    a_total INT;
BEGIN
    IF b_first IS NULL THEN
        RETURN a;
    END IF;
    IF a_first IS NULL THEN
        RETURN b;
    END IF;
    a_total := a[a_last];
    FOR d IN REVERSE a_first - 1 .. b_first LOOP -- earlier days: no executions before them
        a[d] := 0;
    END LOOP;
    FOR d IN a_last + 1 .. b_last LOOP -- later days: a's total carries on
        a[d] := a_total;
    END LOOP;
    FOR d IN b_first .. greatest(a_last, b_last) LOOP
        a[d] := a[d] + b[least(d, b_last)];
    END LOOP;
    RETURN a;
END
$$;

-- The day number of an instant (UTC), the arrays' subscript.
CREATE FUNCTION epoch_day(t TIMESTAMPTZ) RETURNS INT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (t AT TIME ZONE 'UTC')::date - DATE '1970-01-01'
$$;

-- The outcomes stored before these tables existed.
INSERT INTO user_activity (workflow_id, user_id, workflow_version, environment, region, device_type, days)
SELECT workflow_id, user_id, workflow_version, environment, region, device_type, day_counts_agg(epoch_day(finished_at), 1)
FROM execution_outcomes
GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO user_hours (workflow_id, user_id, hour, days)
SELECT workflow_id, user_id, date_part('hour', finished_at AT TIME ZONE 'UTC')::int2,
       day_counts_agg(epoch_day(finished_at), 1)
FROM execution_outcomes
WHERE user_id IS NOT NULL
GROUP BY 1, 2, 3;
