package org.lesiontriage.clinictools.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;
import org.lesiontriage.clinictools.cli.Durations;
import org.lesiontriage.clinictools.cli.QuietLogging;
import org.lesiontriage.clinictools.cli.Terminal;
import org.lesiontriage.clinictools.cli.UsageException;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.common.labels.LabelsFile;

/**
 * bin/simulate: publishes a folder of lesion images (or synthetic ones) as clinics would, spread over several
 * clinics, at a chosen rate, and writes the ground truth for bin/viewer. The publishing itself is
 * {@link LesionEventPublisher}.
 */
public final class ClinicSimulator {

    static final String DEVICE = "simulator";

    private final SimulatorOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    ClinicSimulator(SimulatorOptions options, PrintStream out, PrintStream err, boolean interactive) {
        this.options = options;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        QuietLogging.apply();
        System.setProperty("java.awt.headless", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the simulator and returns the exit status: 0 all sent, 1 a send failed, 2 bad command line. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (UsageException e) {
            err.println("simulate: " + e.getMessage() + " (see --help)");
            return 2;
        }
        if (options.help()) {
            out.print(SimulatorOptions.usage());
            return 0;
        }
        try {
            SimulationResult result = new ClinicSimulator(options, out, err, Terminal.isInteractive()).publishAll();
            return result.succeeded() ? 0 : 1;
        } catch (IOException | KafkaException e) {
            // An unreadable folder or a producer that cannot start (bad address, bad setting): one line, no stack.
            err.println("simulate: " + SendTally.reason(e));
            return 1;
        }
    }

    SimulationResult publishAll() throws IOException {
        ImageSource source = options.isSynthetic()
                ? new SyntheticImages(options.synthetic())
                : ImageFolder.scan(options.images());
        if (options.isSynthetic()) {
            err.println("NOTE: publishing " + options.synthetic() + " SYNTHETIC images. They are drawn blobs, not"
                    + " lesions: their triage means nothing and they have no label.");
        }
        int first = Math.min(source.size(), options.skip());
        int total = Math.min(source.size() - first, options.limit());
        err.printf("Publishing %d of %s to %s at %s over %d clinic(s)%n", total, source.describe(),
                options.topic(), options.rate() > 0 ? options.rate() + " events/s" : "full speed", options.clinics());

        SendTally tally = new SendTally();
        long start = 0;
        int attempted = 0;
        ProgressBar progress;
        try (LabelsFile labels = options.labelsOut() == null ? null : LabelsFile.create(options.labelsOut());
             LesionEventPublisher publisher = new LesionEventPublisher(
                     options.clientSettings().applyTo(LesionEventPublisher.producerConfig(options.bootstrapServers())),
                     options.clientSettings().serdeConfig(options.registryUrl()), options.topic())) {
            // The clock starts once the producer exists, so --rate paces the events, not the start-up.
            start = System.nanoTime();
            progress = new ProgressBar(total, err, interactive);
            for (int i = 0; i < total; i++) {
                pace(start, i);
                LesionImage image = source.load(first + i);
                String clinicId = "clinic-" + (i % options.clinics() + 1);
                LesionImageEvent event = LesionEventPublisher.newEvent(clinicId,
                        CaseRefs.pseudonym(clinicId, image.fileName()), Instant.now(), image.bytes(), DEVICE);
                attempted++;
                try {
                    publisher.publish(event, (metadata, error) -> {
                        if (error == null) {
                            tally.acknowledged(metadata.serializedKeySize() + metadata.serializedValueSize());
                            if (labels != null) {
                                labels.append(event.getEventId().toString(), image.label().text(), image.fileName());
                            }
                        } else {
                            tally.failed(error);
                        }
                        progress.update(tally.done(), tally.failed());
                    });
                } catch (RuntimeException e) {
                    // Serialization (registry) or metadata (broker) failed before sending: every further event
                    // would fail the same way, so stop instead of failing the same way hundreds of times.
                    tally.failed(e);
                    progress.update(tally.done(), tally.failed());
                    break;
                }
            }
            publisher.flush();
        }
        progress.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        SimulationResult result = new SimulationResult(total, tally.sent(), tally.failed(), total - attempted,
                tally.bytes(), seconds, tally.failureReasons());
        printSummary(result);
        return result;
    }

    /** Holds event i back until i / rate seconds after the start: a steady rate, however long sends take. */
    private void pace(long startNanos, int index) {
        if (options.rate() <= 0) {
            return;
        }
        long due = startNanos + (long) (index / options.rate() * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void printSummary(SimulationResult r) {
        out.println("Simulator summary");
        out.printf("  sent       %d of %d%n", r.sent(), r.total());
        out.printf("  failed     %d%n", r.failed());
        r.failureReasons().forEach((reason, count) -> out.printf("    %d x %s%n", count, reason));
        if (r.notSent() > 0) {
            out.printf("  not sent   %d (stopped after the first failure)%n", r.notSent());
        }
        out.printf("  wall time  %s%n", Durations.format(r.seconds()));
        out.printf("  rate       %.1f events/s%n", r.eventsPerSecond());
        out.printf("  data       %.2f MB%n", r.bytes() / 1e6);
        if (options.labelsOut() != null) {
            out.printf("  labels     %s%n", options.labelsOut());
        }
        out.flush();
    }
}
