package org.lesiontriage.clinictools.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.lesiontriage.clinictools.cli.QuietLogging;
import org.lesiontriage.clinictools.cli.Terminal;
import org.lesiontriage.clinictools.cli.UsageException;
import org.lesiontriage.common.labels.LabelledEvent;
import org.lesiontriage.common.labels.LabelsFile;

/**
 * bin/viewer: follows the triage service's output, shows the live queue, and at the end prints (and with
 * --report writes) the run's counts, latencies and accuracy against the simulator's labels.
 */
public final class ResultsViewer {

    private static final Duration TICK = Duration.ofSeconds(1);

    private final ViewerOptions options;
    private final PrintStream out;
    private final LiveView live;
    private volatile TriageTopicsConsumer consumer;
    private volatile boolean stopRequested;

    ResultsViewer(ViewerOptions options, PrintStream out, boolean interactive) {
        this.options = options;
        this.out = out;
        this.live = new LiveView(out, interactive, options.top());
    }

    public static void main(String[] args) {
        QuietLogging.apply();
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the viewer; exit status 0 done, 1 card check failed or --expect not reached, 2 bad command line. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ViewerOptions options;
        try {
            options = ViewerOptions.parse(args);
        } catch (UsageException e) {
            err.println("viewer: " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (options.help()) {
            out.print(ViewerOptions.usage());
            return 0;
        }
        ResultsViewer viewer = new ResultsViewer(options, out, Terminal.isInteractive());
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C ends the run but still prints the summary: the JVM waits for it before exiting.
        Thread hook = new Thread(() -> {
            viewer.requestStop();
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return viewer.follow().exitCode();
        } catch (IOException | KafkaException e) {
            err.println("viewer: " + e.getMessage());
            return 1;
        } finally {
            finished.countDown();
        }
    }

    /** What a run ended with. */
    record Outcome(RunSummary summary, ModelCardCheck cardCheck, ObjectNode report, boolean expectedReached) {
        int exitCode() {
            return (cardCheck != null && !cardCheck.passed()) || !expectedReached ? 1 : 0;
        }
    }

    void requestStop() {
        stopRequested = true;
        TriageTopicsConsumer c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    Outcome follow() throws IOException {
        Map<String, LabelledEvent> labels = options.labels() == null ? null : LabelsFile.read(options.labels());
        // Read the card first: a wrong path should fail now, not after a long run.
        JsonNode card = options.checkCard() == null ? null : ModelCardCheck.read(options.checkCard());
        RunCollector run = new RunCollector(labels);
        long start = System.nanoTime();
        long lastNew = start;
        long lastRender = 0;
        String stopReason;
        try (TriageTopicsConsumer c = new TriageTopicsConsumer(options)) {
            consumer = c;
            while (true) {
                if (stopRequested) {
                    stopReason = "stopped";
                    break;
                }
                try {
                    for (TriageRecord record : c.poll(Duration.ofMillis(200))) {
                        if (run.accept(record)) {
                            lastNew = System.nanoTime();
                        }
                    }
                } catch (WakeupException e) {
                    stopReason = "stopped";
                    break;
                }
                long now = System.nanoTime();
                if (now - lastRender >= TICK.toNanos()) {
                    lastRender = now;
                    live.render(run, (now - start) / 1e9);
                }
                if (options.expect() > 0 && run.counted() >= options.expect()) {
                    stopReason = "expected " + options.expect() + " records seen";
                    break;
                }
                if (options.idleTimeoutSeconds() > 0 && now - lastNew >= options.idleTimeoutSeconds() * 1_000_000_000L) {
                    stopReason = "nothing new for " + options.idleTimeoutSeconds() + "s";
                    break;
                }
            }
        } finally {
            consumer = null;
        }
        live.render(run, (System.nanoTime() - start) / 1e9);
        out.println("Stopped: " + stopReason);

        RunSummary summary = RunSummary.of(run, (System.nanoTime() - start) / 1e9);
        SummaryText.print(summary, out);
        ModelCardCheck check = options.checkCard() == null ? null : ModelCardCheck.compare(options.checkCard(), card, summary);
        if (check != null) {
            SummaryText.printCardCheck(check, out);
        }
        boolean expectedReached = options.expect() == 0 || run.counted() >= options.expect();
        if (!expectedReached) {
            out.printf("Expected %d records, counted %d%n", options.expect(), run.counted());
        }
        ObjectNode report = SummaryJson.of(summary, check);
        if (options.report() != null) {
            SummaryJson.write(report, options.report());
            out.println("Report written to " + options.report());
        }
        out.flush();
        return new Outcome(summary, check, report, expectedReached);
    }
}
