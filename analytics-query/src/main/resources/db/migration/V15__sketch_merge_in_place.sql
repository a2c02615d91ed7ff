-- sketch_merge, the rollup upsert's merge of a row's stored sketch with a batch's delta, without a query per call.
-- V2's version unnested both arrays, grouped them by slot and aggregated them again in order: an executor run per
-- upserted row, ~80 µs more per row of 150 buckets with a 5-bucket delta than writing the stored array back (2.8 s
-- against 0.3 s for 30,000 rows; docs/benchmarks.md, 2026-12-04 evening). This one relies on what every writer
-- keeps (QuantileSketch.encode, the compaction, this function): both arrays ascend by slot, each slot once. It walks
-- the shorter array, finds each of its buckets in the longer with width_bucket (a binary search in C), adds the
-- counts of slots the longer has in place, then splices the new ones in with slices: a few statements per bucket of
-- the shorter array.
-- Same signature: the upsert and sketch_merge_agg keep calling it.
CREATE OR REPLACE FUNCTION sketch_merge(a BIGINT[], b BIGINT[]) RETURNS BIGINT[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    shorter BIGINT[];
    e       BIGINT;
    k       INT;
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
            a[k] := a[k] + (e & 1099511627775);
        ELSE
            fresh := fresh || e;
            after := after || k;
        END IF;
    END LOOP;
    IF cardinality(fresh) = 0 THEN
        RETURN a;
    END IF;
    FOR i IN 1 .. cardinality(fresh) LOOP
        IF after[i] > copied THEN
            merged := merged || a[copied + 1 : after[i]];
            copied := after[i];
        END IF;
        merged := merged || fresh[i];
    END LOOP;
    RETURN merged || a[copied + 1 : cardinality(a)];
END
$$;
