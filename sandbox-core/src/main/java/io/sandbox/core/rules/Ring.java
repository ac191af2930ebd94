package io.sandbox.core.rules;

import java.util.Arrays;

/**
 * A ring of time buckets with running totals as of its head (the newest bucket seen). Adding to a newer bucket
 * advances the head and expires the buckets that fall out; adding to an older bucket still inside the ring
 * updates that bucket and the totals; adding to a bucket older than the ring is ignored. Not thread-safe.
 */
final class Ring {

    private final long bucketMillis;
    private final int size;
    private final long[] index;
    private final long[] count;
    private final long[] sum;
    private final long[] invalid;
    private final long[] total;
    private final long[] max;
    private long head = Long.MIN_VALUE;
    private long runCount;
    private long runSum;
    private long runInvalid;
    private long runTotal;

    Ring(Span span) {
        this.bucketMillis = span.bucket().toMillis();
        this.size = span.buckets();
        this.index = new long[size];
        Arrays.fill(index, Long.MIN_VALUE);
        this.count = new long[size];
        this.sum = new long[size];
        this.invalid = new long[size];
        this.total = new long[size];
        this.max = new long[size];
    }

    long bucketOf(long epochMillis) {
        return Math.floorDiv(epochMillis, bucketMillis);
    }

    /** The newest bucket seen, or {@link Long#MIN_VALUE} before the first add. */
    long head() {
        return head;
    }

    /**
     * Adds to the bucket of {@code epochMillis}.
     *
     * @return false if that bucket is older than the ring (the data is not counted)
     */
    boolean add(long epochMillis, long dCount, long dSum, long dInvalid, long dTotal) {
        long b = bucketOf(epochMillis);
        if (head == Long.MIN_VALUE) {
            head = b;
        } else if (b > head) {
            advance(b);
        } else if (b <= head - size) {
            return false;
        }
        int slot = (int) Math.floorMod(b, (long) size);
        if (index[slot] != b) {
            clear(slot);
            index[slot] = b;
        }
        count[slot] += dCount;
        sum[slot] += dSum;
        invalid[slot] += dInvalid;
        total[slot] += dTotal;
        if (dSum > max[slot]) {
            max[slot] = dSum;
        }
        runCount += dCount;
        runSum += dSum;
        runInvalid += dInvalid;
        runTotal += dTotal;
        return true;
    }

    private void advance(long b) {
        if (b - head >= size) {
            for (int slot = 0; slot < size; slot++) {
                index[slot] = Long.MIN_VALUE;
                count[slot] = sum[slot] = invalid[slot] = total[slot] = max[slot] = 0;
            }
            runCount = runSum = runInvalid = runTotal = 0;
        } else {
            for (long e = head + 1; e <= b; e++) {
                clear((int) Math.floorMod(e, (long) size));
            }
        }
        head = b;
    }

    private void clear(int slot) {
        if (index[slot] != Long.MIN_VALUE) {
            runCount -= count[slot];
            runSum -= sum[slot];
            runInvalid -= invalid[slot];
            runTotal -= total[slot];
        }
        index[slot] = Long.MIN_VALUE;
        count[slot] = sum[slot] = invalid[slot] = total[slot] = max[slot] = 0;
    }

    long count() {
        return runCount;
    }

    long sum() {
        return runSum;
    }

    long invalid() {
        return runInvalid;
    }

    long total() {
        return runTotal;
    }

    /** Totals of the window as of {@code epochMillis}: count, sum, invalid, total, largest single sum added. */
    long[] at(long epochMillis) {
        long b = bucketOf(epochMillis);
        long[] out = new long[5];
        if (b == head) {
            out[0] = runCount;
            out[1] = runSum;
            out[2] = runInvalid;
            out[3] = runTotal;
        }
        for (int slot = 0; slot < size; slot++) {
            long i = index[slot];
            if (i != Long.MIN_VALUE && i <= b && i > b - size) {
                if (b != head) {
                    out[0] += count[slot];
                    out[1] += sum[slot];
                    out[2] += invalid[slot];
                    out[3] += total[slot];
                }
                out[4] = Math.max(out[4], max[slot]);
            }
        }
        return out;
    }

    /** Whether nothing in the ring is inside the window as of {@code epochMillis}. */
    boolean idleAt(long epochMillis) {
        return head == Long.MIN_VALUE || head <= bucketOf(epochMillis) - size;
    }
}
