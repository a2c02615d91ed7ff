package io.workflowanalytics.query.compare.stats;

/**
 * One histogram bucket of a DDSketch: every observation in it is taken to equal {@code value}, so observations in
 * one bucket, and in buckets of equal value on either side of a comparison, are ties.
 *
 * @param value representative value of the bucket
 * @param count observations in the bucket
 */
public record Bucket(double value, long count) {

    public Bucket {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("bucket value must be finite: " + value);
        }
        if (count < 0) {
            throw new IllegalArgumentException("bucket count must not be negative: " + count);
        }
    }
}
