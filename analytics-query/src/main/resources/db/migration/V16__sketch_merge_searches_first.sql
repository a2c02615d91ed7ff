-- sketch_merge (V15) with its binary searches done before it changes anything. PL/pgSQL keeps array variables in
-- expanded form, and width_bucket takes a flat array: while the longer array is unchanged, flattening it for a search
-- copies its original bytes, but V15 added counts in place between searches, so every later search rebuilt the
-- whole array element by element (perf: 12 % of PostgreSQL's CPU in a live-density drain, under width_bucket).
-- Now the searches come first, collecting where counts go; the new buckets are spliced in from the unchanged array;
-- the counts are added last, at positions shifted by the new buckets before them (the shorter array is walked in
-- slot order, so every new bucket found so far goes before the current one). 400 stored buckets merged with a
-- 10-bucket delta, 5 of them new, 20,000 times: 800 ms with V15, 490 ms with this (scratch table, same machine).
-- Same contract as V15: both arrays ascend by slot, each slot once; same signature.
CREATE OR REPLACE FUNCTION sketch_merge(a BIGINT[], b BIGINT[]) RETURNS BIGINT[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    shorter BIGINT[];
    e       BIGINT;
    k       INT;
    -- Where in the result each count of a slot both arrays have goes, and the count.
    at      INT[] := '{}';
    add     BIGINT[] := '{}';
    -- Buckets of the shorter array whose slot the longer lacks, and the position in the longer after which each goes.
    fresh   BIGINT[] := '{}';
    after   INT[] := '{}';
    merged  BIGINT[] := '{}';
    copied  INT := 0;
BEGIN
    IF coalesce(cardinality(b), 0) = 0 THEN
        RETURN coalesce(a, '{}');
    END IF;
    IF coalesce(cardinality(a), 0) = 0 THEN
        RETURN b;
    END IF;
    IF cardinality(b) > cardinality(a) THEN
        shorter := a;
        a := b;
    ELSE
        shorter := b;
    END IF;
    FOREACH e IN ARRAY shorter LOOP
        -- How many of a's buckets have a slot up to e's: a count of all ones sorts after every count of a slot.
        k := width_bucket(e | 1099511627775, a);
        IF k > 0 AND a[k] >> 40 = e >> 40 THEN
            at := at || (k + cardinality(fresh));
            add := add || (e & 1099511627775);
        ELSE
            fresh := fresh || e;
            after := after || k;
        END IF;
    END LOOP;
    IF cardinality(fresh) > 0 THEN
        FOR i IN 1 .. cardinality(fresh) LOOP
            IF after[i] > copied THEN
                merged := merged || a[copied + 1 : after[i]];
                copied := after[i];
            END IF;
            merged := merged || fresh[i];
        END LOOP;
        a := merged || a[copied + 1 : cardinality(a)];
    END IF;
    FOR i IN 1 .. cardinality(at) LOOP
        a[at[i]] := a[at[i]] + add[i];
    END LOOP;
    RETURN a;
END
$$;
