package dev.keyward.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of a small sample, for the harnesses' summaries. */
final class Stats {
    private Stats() {
    }

    /**
     * The median: the middle value, or the mean of the two middle values of an even-sized sample.
     *
     * @param sample at least one value
     * @return the median
     * @throws IllegalArgumentException if the sample is empty
     */
    static double median(List<? extends Number> sample) {
        List<Double> sorted = sorted(sample);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * @param sample at least one value
     * @return the smallest value
     */
    static double min(List<? extends Number> sample) {
        return sorted(sample).get(0);
    }

    /**
     * @param sample at least one value
     * @return the largest value
     */
    static double max(List<? extends Number> sample) {
        List<Double> sorted = sorted(sample);
        return sorted.get(sorted.size() - 1);
    }

    private static List<Double> sorted(List<? extends Number> sample) {
        if (sample.isEmpty()) {
            throw new IllegalArgumentException("empty sample");
        }
        List<Double> values = new ArrayList<>();
        for (Number n : sample) {
            values.add(n.doubleValue());
        }
        Collections.sort(values);
        return values;
    }
}
