-- The users' daily counts (user_activity, user_hours: running totals per day, V7) kept as long as day rows: RollupPurge
-- drops each row's days before the day horizon with this, and the rows without a day from it on.

-- A running-total array without its days before first: the totals from first on less the total before it, so that
-- the executions of any days from first on (a difference of two totals) are what they were. NULL when no day is left.
CREATE FUNCTION day_counts_from(days INT[], first INT) RETURNS INT[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    base   INT;
    result INT[] := '{}';
BEGIN
    IF array_upper(days, 1) < first THEN
        RETURN NULL;
    END IF;
    IF array_lower(days, 1) >= first THEN
        RETURN days;
    END IF;
    base := days[first - 1];
    FOR d IN first .. array_upper(days, 1) LOOP
        result[d] := days[d] - base;
    END LOOP;
    RETURN result;
END
$$;
