package io.workflowanalytics.query.compare.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Order statistics of a bucket histogram, without expanding it into samples. */
final class Histograms {

    private Histograms() {
    }

    /** The buckets sorted by value, empty buckets dropped and buckets of equal value merged. */
    static List<Bucket> normalise(List<Bucket> buckets) {
        List<Bucket> sorted = new ArrayList<>(buckets);
        sorted.sort(Comparator.comparingDouble(Bucket::value));
        List<Bucket> merged = new ArrayList<>(sorted.size());
        for (Bucket b : sorted) {
            if (b.count() == 0) {
                continue;
            }
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).value() == b.value()) {
                merged.set(last, new Bucket(b.value(), merged.get(last).count() + b.count()));
            } else {
                merged.add(b);
            }
        }
        return merged;
    }

    static long total(List<Bucket> buckets) {
        long n = 0;
        for (Bucket b : buckets) {
            n += b.count();
        }
        return n;
    }

    /** The k-th smallest observation, 1 ≤ k ≤ total, of normalised buckets. */
    static double valueAtRank(List<Bucket> sorted, long k) {
        long seen = 0;
        for (Bucket b : sorted) {
            seen += b.count();
            if (seen >= k) {
                return b.value();
            }
        }
        throw new IllegalArgumentException("rank " + k + " beyond " + seen + " observations");
    }

    /** Sample median of normalised buckets (mean of the two middle observations when n is even); 0 when empty. */
    static double median(List<Bucket> sorted) {
        long n = total(sorted);
        if (n == 0) {
            return 0;
        }
        double lower = valueAtRank(sorted, (n + 1) / 2);
        double upper = valueAtRank(sorted, n / 2 + 1);
        return n % 2 == 1 ? lower : (lower + upper) / 2;
    }

    /**
     * McKean–Schrader (1984) standard error of the sample median: (X₍ₙ₋c₊₁₎ − X₍c₎) / (2z) with
     * c = round((n+1)/2 − z·√(n/4)) and z = 1.96. It is the half-width of the distribution-free 95% interval for the
     * median, turned back into a standard error, so it needs only two order statistics.
     */
    static double medianStandardError(List<Bucket> sorted) {
        long n = total(sorted);
        if (n < 2) {
            return 0;
        }
        long c = Math.round((n + 1) / 2.0 - SE_Z * Math.sqrt(n / 4.0));
        c = Math.max(1, Math.min(c, n));
        long upperRank = Math.max(c, n - c + 1);
        long lowerRank = Math.min(c, n - c + 1);
        return (valueAtRank(sorted, upperRank) - valueAtRank(sorted, lowerRank)) / (2 * SE_Z);
    }

    /** The fixed 95% normal point used as the bandwidth of the median's standard error. */
    private static final double SE_Z = 1.959963984540054;
}
