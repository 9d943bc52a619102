package org.lesiontriage.triage.reliability.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.lesiontriage.triage.testing.TestModel;

/**
 * The chaos run behind {@code bin/chaos}: a broker in its own process, a registry, the packaged service, a producer
 * publishing N events at a steady rate, a share of them poison; the service is killed with SIGKILL at random points
 * and restarted, the broker and the registry are restarted; then the topics, read with read_committed, must hold
 * exactly one result or dead letter (with the expected reason) per acknowledged event. Prints a table with the
 * recovery after each disruption and writes a Markdown report.
 */
public final class ChaosRun {

    enum Size { SMOKE, FULL, SCALE }

    /**
     * @param rate events per second; 0 = {@code rateFraction} of a saturation measured first with
     *             {@code saturationEvents} events
     */
    record Options(Size size, int events, double rate, double rateFraction, int saturationEvents, int kills,
                   int brokerRestarts, int registryRestarts, double poisonShare, int imagePx, long seed, Path workDir,
                   Path report, ChaosStack.ServiceSettings service) {

        static Options parse(String[] args) {
            List<String> all = List.of(args);
            Size size = all.contains("--scale") ? Size.SCALE : all.contains("--smoke") ? Size.SMOKE : Size.FULL;
            int events = switch (size) { case SMOKE -> 600; case FULL -> 5000; case SCALE -> 50_000; };
            double rate = switch (size) { case SMOKE -> 12; case FULL -> 30; case SCALE -> 0; };
            int kills = switch (size) { case SMOKE -> 2; case FULL -> 5; case SCALE -> 10; };
            int brokerRestarts = size == Size.SCALE ? 2 : 1;
            int registryRestarts = size == Size.SCALE ? 1 : 0;
            int imagePx = size == Size.SCALE ? 128 : 256;
            double fraction = 0.5;
            int saturationEvents = 3000;
            double poison = 0.05;
            long seed = System.nanoTime();
            Path work = null;
            Path report = null;
            Path jar = ChaosStack.defaultServiceJar();
            Path model = Path.of(TestModel.SERVED);
            long session = 6000;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke", "--scale" -> { }
                    case "--events" -> events = Integer.parseInt(args[++i]);
                    case "--rate" -> {
                        String value = args[++i];
                        rate = value.equals("auto") ? 0 : Double.parseDouble(value);
                    }
                    case "--rate-fraction" -> fraction = Double.parseDouble(args[++i]);
                    case "--saturation-events" -> saturationEvents = Integer.parseInt(args[++i]);
                    case "--kills" -> kills = Integer.parseInt(args[++i]);
                    case "--broker-restarts" -> brokerRestarts = Integer.parseInt(args[++i]);
                    case "--registry-restarts" -> registryRestarts = Integer.parseInt(args[++i]);
                    case "--poison-share" -> poison = Double.parseDouble(args[++i]);
                    case "--image-px" -> imagePx = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--work-dir" -> work = Path.of(args[++i]);
                    case "--report" -> report = Path.of(args[++i]);
                    case "--service-jar" -> jar = Path.of(args[++i]);
                    case "--model-dir" -> model = Path.of(args[++i]);
                    case "--session-timeout-ms" -> session = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            try {
                Path dir = work != null ? work : Files.createTempDirectory("lesion-chaos");
                Files.createDirectories(dir);
                return new Options(size, events, rate, fraction, saturationEvents, kills, brokerRestarts,
                        registryRestarts, poison, imagePx, seed, dir,
                        report != null ? report : dir.resolve("chaos-report.md"),
                        new ChaosStack.ServiceSettings(jar, model, session));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Scale runs let the backlog come back to its level before the next disruption, so each is measured alone. */
        boolean settleBetween() {
            return size == Size.SCALE;
        }
    }

    enum Kind { KILL, BROKER, REGISTRY }

    /**
     * One disruption: when it began, how long the component was down (broker and registry: stop to ready again),
     * when the first result scored after its start became visible, and the backlog (acknowledged, not yet answered)
     * before it.
     */
    record Disruption(String name, long atMs, long downMs, long firstResultMs, long backlogBefore) {
    }

    /** Backlog samples: {time ms, acknowledged minus answered}. */
    private final List<long[]> backlog = Collections.synchronizedList(new ArrayList<>());
    private final Options options;
    private final Random random;
    private final long startMs = System.currentTimeMillis();
    private final List<Disruption> disruptions = new ArrayList<>();
    private volatile boolean disruptionsDone;
    private double saturation = Double.NaN;
    private double rate;
    private ChaosStack stack;
    private ChaosLoad load;
    private AnswerReader reader;

    private ChaosRun(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println("""
                    usage: bin/chaos [--smoke | --scale] [--events N] [--rate PER_S|auto] [--rate-fraction F]
                                     [--saturation-events N] [--kills K] [--broker-restarts B] [--registry-restarts R]
                                     [--poison-share F] [--image-px PX] [--seed S] [--work-dir DIR] [--report FILE]
                                     [--model-dir DIR] [--service-jar JAR] [--session-timeout-ms MS]
                      full run:  5000 events at 30/s, 5 kills, 1 broker restart, 256 px images
                      --smoke:    600 events at 12/s, 2 kills, 1 broker restart (about 2 minutes)
                      --scale:  50000 events at half of a measured saturation (3000-event burst first),
                                10 kills, 2 broker restarts, 1 registry restart, 128 px images; each disruption
                                waits until the backlog is back to its level before the previous one
                      poison (5%): truncated JPEG, PNG with a wrong chunk CRC, Avro bodies that lie about sizes""");
            return;
        }
        int status = new ChaosRun(Options.parse(args)).run();
        System.exit(status);
    }

    private int run() throws Exception {
        log("work dir %s, seed %d, %d events, %d kills, %d broker restart(s), %d registry restart(s), session timeout %d ms",
                options.workDir(), options.seed(), options.events(), options.kills(), options.brokerRestarts(),
                options.registryRestarts(), options.service().sessionTimeoutMs());
        try (ChaosStack processes = new ChaosStack(options.workDir(), options.service(), this::log)) {
            stack = processes;
            stack.startInfrastructure();
            load = new ChaosLoad(stack.bootstrap(), stack.serdeConfig(), options.imagePx(), options.seed());
            reader = new AnswerReader(stack.bootstrap(), stack.serdeConfig(), latencyMs -> { });
            reader.start();
            stack.startService();
            rate = options.rate();
            if (rate <= 0) {
                saturation = Saturation.measure(load, reader, options.saturationEvents());
                rate = options.rateFraction() * saturation;
                log("saturation %.1f events/s (%d good events as fast as possible); load %.1f events/s (%.0f%%)",
                        saturation, options.saturationEvents(), rate, options.rateFraction() * 100);
            }
            Thread sampler = new Thread(this::sampleBacklog, "backlog-sampler");
            sampler.setDaemon(true);
            sampler.start();
            int[] published = new int[1];
            Thread producer = new Thread(() -> {
                try {
                    published[0] = load.publish(options.events(), rate, options.poisonShare(), () -> !disruptionsDone);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "producer");
            producer.setDaemon(true);
            producer.start();
            reader.awaitNewResult(startMs, Duration.ofMinutes(3), stack.serviceLog().toString());
            log("service answering");

            for (Kind kind : plan()) {
                if (options.settleBetween()) {
                    awaitBacklogSettled();
                    pause(3_000 + random.nextInt(5_000));
                } else {
                    pause(kind == Kind.KILL ? 2_000 + random.nextInt(6_000) : 2_000 + random.nextInt(3_000));
                }
                disrupt(kind);
            }
            disruptionsDone = true;
            producer.join();
            log("producer done: %d published, %d acknowledged, %d send failures", published[0], load.acked().size(),
                    load.sendFailures());
            long allAnswered = reader.awaitAllAnswered(load.acked(), load.sent() - load.sendFailures(), Duration.ofMinutes(10));
            log(allAnswered > 0 ? "all acknowledged events answered" : "timed out waiting for answers");
            pause(3_000); // catch late duplicates
            long endMs = allAnswered > 0 ? allAnswered : System.currentTimeMillis();
            return report(reader.recount(load.acked()), endMs);
        } finally {
            disruptionsDone = true;
            if (load != null) {
                load.close();
            }
        }
    }

    /** Kills, with broker and registry restarts spread evenly among them (a broker restart half-way for one). */
    private List<Kind> plan() {
        List<Kind> plan = new ArrayList<>();
        int kills = options.kills();
        for (int k = 1; k <= Math.max(kills, 1); k++) {
            if (k <= kills) {
                plan.add(Kind.KILL);
            }
            for (int b = 1; b <= options.brokerRestarts(); b++) {
                if (Math.max(1, kills * b / (options.brokerRestarts() + 1)) == k) {
                    plan.add(Kind.BROKER);
                }
            }
            for (int r = 1; r <= options.registryRestarts(); r++) {
                if (Math.max(1, (kills * r + kills / 2) / (options.registryRestarts() + 1)) == k) {
                    plan.add(Kind.REGISTRY);
                }
            }
        }
        return plan;
    }

    private void disrupt(Kind kind) throws Exception {
        long before = currentBacklog();
        long at = System.currentTimeMillis();
        long down = 0;
        String name;
        switch (kind) {
            case KILL -> {
                name = "kill -9 #" + (count(Kind.KILL) + 1);
                long pid = stack.killService();
                log("%s: SIGKILL pid %d with a backlog of %d", name, pid, before);
                stack.startService();
            }
            case BROKER -> {
                name = "broker restart #" + (count(Kind.BROKER) + 1);
                log("%s: SIGTERM", name);
                stack.restartBroker();
                down = System.currentTimeMillis() - at;
            }
            default -> {
                name = "registry restart #" + (count(Kind.REGISTRY) + 1);
                log("%s: SIGTERM", name);
                stack.restartRegistry();
                down = System.currentTimeMillis() - at;
            }
        }
        long back = reader.awaitNewResult(at, Duration.ofMinutes(5), stack.serviceLog().toString());
        disruptions.add(new Disruption(name, at, down, back, before));
        log("%s: first new result %.1f s after the start", name, (back - at) / 1000.0);
    }

    private int count(Kind kind) {
        String prefix = switch (kind) { case KILL -> "kill"; case BROKER -> "broker"; case REGISTRY -> "registry"; };
        return (int) disruptions.stream().filter(d -> d.name().startsWith(prefix)).count();
    }

    // ---- backlog ------------------------------------------------------------------------------------------------

    private long currentBacklog() {
        return load.acked().size() - reader.live().total.get();
    }

    private void sampleBacklog() {
        while (!disruptionsDone || load.acked().size() > reader.live().total.get()) {
            backlog.add(new long[] {System.currentTimeMillis(), currentBacklog()});
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
        backlog.add(new long[] {System.currentTimeMillis(), currentBacklog()}); // the drained end, for the last recovery
    }

    /**
     * What "back to its level" means: the median backlog over the 5 s before {@code atMs}, plus half a second of
     * input (the backlog moves by a batch and a commit interval even in steady state).
     */
    private double settledLevel(long atMs) {
        List<Long> window = new ArrayList<>();
        synchronized (backlog) {
            for (long[] s : backlog) {
                if (s[0] >= atMs - 5_000 && s[0] < atMs) {
                    window.add(s[1]);
                }
            }
        }
        Collections.sort(window);
        long median = window.isEmpty() ? 0 : window.get(window.size() / 2);
        return median + Math.max(10, rate * 0.5);
    }

    /** When, after its first new result, the backlog was first back to its level before {@code d}; -1 if never. */
    private long backlogRecoveredAt(Disruption d) {
        double level = settledLevel(d.atMs());
        synchronized (backlog) {
            for (long[] s : backlog) {
                if (s[0] >= d.firstResultMs() && s[1] <= level) {
                    return s[0];
                }
            }
        }
        return -1;
    }

    private long peakBacklog(Disruption d, long untilMs) {
        long peak = 0;
        synchronized (backlog) {
            for (long[] s : backlog) {
                if (s[0] >= d.atMs() && (untilMs < 0 || s[0] <= untilMs)) {
                    peak = Math.max(peak, s[1]);
                }
            }
        }
        return peak;
    }

    private void awaitBacklogSettled() throws InterruptedException {
        if (disruptions.isEmpty()) {
            pause(10_000); // a steady state to compare the first disruption with
            return;
        }
        Disruption last = disruptions.get(disruptions.size() - 1);
        long deadline = System.currentTimeMillis() + 300_000;
        while (backlogRecoveredAt(last) < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
    }

    // ---- report -----------------------------------------------------------------------------------------------------

    private int report(AnswerReader.Tally tally, long endMs) throws IOException {
        long elapsed = System.currentTimeMillis() - startMs;
        long firstSendToEnd = endMs - startMs;
        boolean ok = tally.ok() && load.sendFailures() == 0;
        StringBuilder md = new StringBuilder();
        md.append("# Chaos run ").append(Instant.ofEpochMilli(startMs)).append("\n\n");
        String size = switch (options.size()) { case SMOKE -> "Smoke"; case FULL -> "Full"; case SCALE -> "Scale"; };
        md.append(String.format(Locale.ROOT, "%s run, seed %d: %d events published (%d planned", size, options.seed(),
                load.sent(), options.events()));
        if (!Double.isNaN(saturation)) {
            md.append(String.format(Locale.ROOT, ", after a saturation burst of %d", options.saturationEvents()));
        }
        md.append(String.format(Locale.ROOT, "), %d px synthetic images, %.0f%% poison, at %.1f events/s", options.imagePx(),
                options.poisonShare() * 100, rate));
        if (!Double.isNaN(saturation)) {
            md.append(String.format(Locale.ROOT, " (%.0f%% of the measured saturation, %.1f events/s)",
                    options.rateFraction() * 100, saturation));
        }
        md.append(String.format(Locale.ROOT, "; %d service kills (SIGKILL), %d broker restart(s), %d registry restart(s), "
                        + "consumer session timeout %d ms; all answered %.0f s after the start (%.1f answers/s over the "
                        + "run), %.0f s in all.%n%n",
                options.kills(), options.brokerRestarts(), options.registryRestarts(),
                options.service().sessionTimeoutMs(), firstSendToEnd / 1000.0,
                tally.acknowledged() / (firstSendToEnd / 1000.0), elapsed / 1000.0));
        md.append("| disruption | at (s) | backlog before | down (s) | first new result after (s) "
                + "| backlog back to its level after (s) | peak backlog |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (Disruption d : disruptions) {
            long recovered = backlogRecoveredAt(d);
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %s | %.1f | %s | %d |%n", d.name(),
                    (d.atMs() - startMs) / 1000.0, d.backlogBefore(),
                    d.downMs() > 0 ? String.format(Locale.ROOT, "%.1f", d.downMs() / 1000.0) : "-",
                    (d.firstResultMs() - d.atMs()) / 1000.0,
                    recovered < 0 ? "not before the end" : String.format(Locale.ROOT, "%.1f", (recovered - d.atMs()) / 1000.0),
                    peakBacklog(d, recovered)));
        }
        md.append("\n| input | acknowledged | answered as expected |\n|---|---:|---:|\n");
        tally.byKind().forEach((kind, n) -> md.append("| ").append(kind).append(" | ").append(n[0]).append(" | ")
                .append(n[1]).append(" |\n"));
        md.append("\n| count | value |\n|---|---:|\n");
        row(md, "events published", load.sent());
        row(md, "acknowledged by the broker", tally.acknowledged());
        row(md, "send failures", load.sendFailures());
        row(md, "results (read_committed)", tally.results());
        row(md, "dead letters (read_committed)", tally.letters());
        row(md, "lost (acknowledged, never answered)", tally.lost());
        row(md, "duplicated (answered more than once)", tally.duplicated());
        row(md, "answered once, but not as expected (result for poison, dead letter for a good image, wrong reason)",
                tally.wrongOutcome());
        row(md, "answers for unknown events", tally.unexpected());
        md.append("\nVerdict: **").append(ok ? "PASS" : "FAIL").append("**\n");
        Path report = options.report().toAbsolutePath();
        Files.createDirectories(report.getParent());
        Files.writeString(report, md.toString());
        System.out.println();
        System.out.println(md);
        System.out.println("report: " + report);
        return ok ? 0 : 1;
    }

    private static void row(StringBuilder md, String name, long value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    void log(String format, Object... args) {
        log(String.format(Locale.ROOT, format, args));
    }

    private void log(String message) {
        System.out.printf(Locale.ROOT, "[chaos %6.1fs] %s%n", (System.currentTimeMillis() - startMs) / 1000.0, message);
        System.out.flush();
    }
}
