package io.sandbox.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring against a plain list of everything added: the same totals after every step, in and out of order. */
class RingTest {

    private record Added(long bucket, long count, long sum, long invalid, long total) {
    }

    @Test
    void totalsMatchAPlainListOfWhatIsInsideTheWindow() {
        Random random = new Random(7);
        for (Span span : Span.values()) {
            Ring ring = new Ring(span);
            List<Added> added = new ArrayList<>();
            long bucketMillis = span.bucket().toMillis();
            long now = 1_700_000_000_000L;
            long head = Long.MIN_VALUE;
            for (int step = 0; step < 5_000; step++) {
                // mostly forward in small steps, sometimes a jump past the window, sometimes back in time
                int move = random.nextInt(100);
                now += move < 70 ? random.nextInt((int) bucketMillis * 2)
                        : move < 75 ? bucketMillis * span.buckets() * (1 + random.nextInt(2))
                        : -random.nextInt((int) bucketMillis * span.buckets() + (int) bucketMillis);
                long bucket = Math.floorDiv(now, bucketMillis);
                long count = random.nextInt(3);
                long sum = random.nextInt(1000);
                long invalid = random.nextInt(2);
                boolean counted = ring.add(now, count, sum, invalid, 1);

                boolean inside = head == Long.MIN_VALUE || bucket > head - span.buckets();
                assertThat(counted).as("step %d", step).isEqualTo(inside);
                if (inside) {
                    added.add(new Added(bucket, count, sum, invalid, 1));
                    head = Math.max(head, bucket);
                }
                long oldest = head - span.buckets();
                long[] expected = new long[5];
                for (Added a : added) {
                    if (a.bucket() > oldest) {
                        expected[0] += a.count();
                        expected[1] += a.sum();
                        expected[2] += a.invalid();
                        expected[3] += a.total();
                    }
                }
                assertThat(new long[] {ring.count(), ring.sum(), ring.invalid(), ring.total()}).as("step %d", step)
                        .containsExactly(expected[0], expected[1], expected[2], expected[3]);
                long probe = now - random.nextInt((int) bucketMillis * span.buckets());
                long probeBucket = Math.floorDiv(probe, bucketMillis);
                long[] at = ring.at(probe);
                long[] atExpected = new long[5];
                for (Added a : added) {
                    if (a.bucket() <= probeBucket && a.bucket() > probeBucket - span.buckets() && a.bucket() > oldest) {
                        atExpected[0] += a.count();
                        atExpected[1] += a.sum();
                        atExpected[4] = Math.max(atExpected[4], a.sum());
                    }
                }
                assertThat(new long[] {at[0], at[1], at[4]}).as("step %d at", step)
                        .containsExactly(atExpected[0], atExpected[1], atExpected[4]);
            }
        }
    }
}
