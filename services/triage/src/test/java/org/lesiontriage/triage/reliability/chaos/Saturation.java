package org.lesiontriage.triage.reliability.chaos;

import java.time.Duration;

/**
 * The service's saturation as the chaos and soak runs measure it, on their own stack before any disruption: a burst
 * of good events published as fast as the producer takes them; throughput is the answers between the first tenth
 * (start-up and JIT warm-up left out) and the last, over that time.
 */
final class Saturation {

    private Saturation() {
    }

    /** Events answered per second; publishes {@code events} good events. */
    static double measure(ChaosLoad load, AnswerReader reader, int events) throws InterruptedException {
        int before = reader.live().total.get();
        int expected = load.acked().size() + events;
        Thread publisher = new Thread(() -> {
            try {
                load.publish(events, 0, 0, () -> false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "saturation-load");
        publisher.start();
        int tenth = before + events / 10;
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(10).toMillis();
        while (reader.live().total.get() < tenth && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        long fromMs = System.currentTimeMillis();
        int fromCount = reader.live().total.get();
        long doneMs = reader.awaitAllAnswered(load.acked(), expected, Duration.ofMillis(Math.max(1, deadline - fromMs)));
        publisher.join();
        if (doneMs < 0) {
            throw new IllegalStateException("the saturation burst was not answered within 10 minutes");
        }
        return (reader.live().total.get() - fromCount) / ((doneMs - fromMs) / 1000.0);
    }
}
