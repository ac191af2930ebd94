package io.sandbox.core.rules;

import java.util.Arrays;

/**
 * A sliding window of time buckets with running totals as of its head (the newest bucket seen). Adding to a newer
 * bucket advances the head and expires the buckets that fall out; adding to an older bucket still inside the window
 * updates that bucket and the totals; adding to a bucket older than the window is ignored. Only buckets that hold
 * something are stored, oldest first, in an array that grows as needed: a customer with three payments a day costs a
 * few dozen bytes, not one slot per bucket of the day. Not thread-safe.
 */
final class Ring {

    private static final int COUNT = 1;
    private static final int SUM = 2;
    private static final int INVALID = 3;
    private static final int TOTAL = 4;
    private static final int MAX = 5;
    /** Longs per stored bucket: its index, then the fields above. */
    private static final int STRIDE = 6;

    private final long bucketMillis;
    private final int size;
    /** Stored buckets, circular from {@code first}, in ascending bucket order. */
    private long[] data = new long[2 * STRIDE];
    private int first;
    private int stored;
    private long head = Long.MIN_VALUE;
    private long runCount;
    private long runSum;
    private long runInvalid;
    private long runTotal;

    Ring(Span span) {
        this.bucketMillis = span.bucket().toMillis();
        this.size = span.buckets();
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
     * @return false if that bucket is older than the window (the data is not counted)
     */
    boolean add(long epochMillis, long dCount, long dSum, long dInvalid, long dTotal) {
        long b = bucketOf(epochMillis);
        if (head == Long.MIN_VALUE) {
            head = b;
        } else if (b > head) {
            head = b;
            expire();
        } else if (b <= head - size) {
            return false;
        }
        int at = offset(slotFor(b));
        data[at + COUNT] += dCount;
        data[at + SUM] += dSum;
        data[at + INVALID] += dInvalid;
        data[at + TOTAL] += dTotal;
        if (dSum > data[at + MAX]) {
            data[at + MAX] = dSum;
        }
        runCount += dCount;
        runSum += dSum;
        runInvalid += dInvalid;
        runTotal += dTotal;
        return true;
    }

    /** The position (0 = oldest) of bucket {@code b}, stored empty first if it was not. */
    private int slotFor(long b) {
        int position = stored;
        while (position > 0 && index(position - 1) > b) {
            position--; // out of order: an older bucket than the newest stored
        }
        if (position > 0 && index(position - 1) == b) {
            return position - 1;
        }
        if (stored * STRIDE == data.length) {
            grow();
        }
        for (int p = stored; p > position; p--) {
            System.arraycopy(data, offset(p - 1), data, offset(p), STRIDE);
        }
        int at = offset(position);
        Arrays.fill(data, at, at + STRIDE, 0);
        data[at] = b;
        stored++;
        return position;
    }

    private void expire() {
        while (stored > 0 && index(0) <= head - size) {
            int at = offset(0);
            runCount -= data[at + COUNT];
            runSum -= data[at + SUM];
            runInvalid -= data[at + INVALID];
            runTotal -= data[at + TOTAL];
            first = (first + 1) % capacity();
            stored--;
        }
    }

    private void grow() {
        long[] larger = new long[data.length * 2];
        for (int p = 0; p < stored; p++) {
            System.arraycopy(data, offset(p), larger, p * STRIDE, STRIDE);
        }
        data = larger;
        first = 0;
    }

    private int capacity() {
        return data.length / STRIDE;
    }

    private int offset(int position) {
        return ((first + position) % capacity()) * STRIDE;
    }

    private long index(int position) {
        return data[offset(position)];
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
        for (int p = 0; p < stored; p++) {
            int at = offset(p);
            long i = data[at];
            if (i <= b && i > b - size) {
                out[0] += data[at + COUNT];
                out[1] += data[at + SUM];
                out[2] += data[at + INVALID];
                out[3] += data[at + TOTAL];
                out[4] = Math.max(out[4], data[at + MAX]);
            }
        }
        return out;
    }

    /** Whether nothing in the ring is inside the window as of {@code epochMillis}. */
    boolean idleAt(long epochMillis) {
        return head == Long.MIN_VALUE || head <= bucketOf(epochMillis) - size;
    }
}
