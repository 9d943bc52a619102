package org.lesiontriage.triage.rescore;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/rescore}: replays a range of the image topic with a model version and reports. Ctrl-C cancels the
 * job (it resumes when started again with the same id). Exit status 0 completed, 1 failed, 2 usage, 130 cancelled.
 */
public final class RescoreCommand {

    private RescoreCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || List.of(args).contains("--help")) {
            System.out.println(RescoreOptions.USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        RescoreOptions options;
        try {
            options = RescoreOptions.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("rescore: " + e.getMessage());
            System.err.println(RescoreOptions.USAGE);
            System.exit(2);
            return;
        }
        ReplayJob job = new ReplayJob(options.request(), options.settings());
        CompletableFuture<ReplayStatus> outcome = CompletableFuture.supplyAsync(job::run);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!outcome.isDone()) {
                job.cancel();
                outcome.completeOnTimeout(null, 70, TimeUnit.SECONDS).join();
            }
        }, "rescore-cancel"));
        boolean tty = Boolean.getBoolean("lesion.tty");
        PrintStream err = System.err;
        int lastTenth = -1;
        while (!outcome.isDone()) {
            Thread.sleep(tty ? 200 : 1000);
            ReplayStatus now = job.status();
            int tenth = (int) (now.fraction() * 10);
            if (tty) {
                err.print("\r" + now.progressLine() + "   ");
            } else if (now.state() == ReplayState.REPLAYING && tenth != lastTenth) {
                lastTenth = tenth;
                err.println(now.progressLine());
            }
        }
        ReplayStatus last = outcome.join();
        if (tty) {
            err.println();
        }
        if (last.state() != ReplayState.COMPLETED) {
            err.println("rescore: job " + last.jobId() + " " + last.state().name().toLowerCase(Locale.ROOT) + ": " + last.message());
            System.exit(last.state() == ReplayState.CANCELLED ? 130 : 1);
        }
        System.out.println(table(last.report()));
        System.exit(0);
    }

    static String table(ReplayReport report) {
        return String.format(Locale.ROOT, """
                | re-score job %s | |
                |---|---|
                | model | %s %s (threshold %.4f) |
                | replayed | %s -> %s (dead letters: %s) |
                | events in range | %d%s |
                | answered by this run | %d results, %d dead letters%s |
                | replay time | %.1f s |
                | throughput | %.1f events/s |
                | mean batch size | %.1f |""",
                report.jobId(), report.modelName(), report.modelVersion(), report.threshold(), report.sourceTopic(),
                report.resultsTopic(), report.failuresTopic(), report.eventsInRange(),
                report.lostToRetention() > 0 ? " (" + report.lostToRetention() + " deleted by retention before the replay read them)" : "",
                report.resultsThisRun(),
                report.deadLettersThisRun(), report.resumed() ? " (resumed: earlier runs answered the rest)" : "",
                report.replaySeconds(), report.eventsPerSecond(), report.meanBatchSize());
    }
}
