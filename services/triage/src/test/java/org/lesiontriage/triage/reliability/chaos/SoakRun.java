package org.lesiontriage.triage.reliability.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.triage.testing.TestModel;

/**
 * The soak run behind {@code bin/soak}: the packaged service on its own broker and registry, first a saturation burst,
 * then a steady load at a fraction of it (half by default, 5 % poison) for N minutes. Every few seconds it samples
 * the service's heap (from /q/metrics), its RSS (/proc/PID/status), the consumer group's lag and the end-to-end
 * latency of the results that became visible in the interval (visible to a read_committed reader minus the input
 * record's timestamp). Writes soak.csv and soak.json (the run's settings and the final exactly-once count) for
 * bin/lib/soak_report.py, which fits and plots them.
 */
public final class SoakRun {

    record Options(double minutes, double rate, double rateFraction, int saturationEvents, double intervalS,
                   double poisonShare, int imagePx, long seed, Path workDir, Path out,
                   ChaosStack.ServiceSettings service) {

        static Options parse(String[] args) {
            double minutes = 30;
            double rate = 0;
            double fraction = 0.5;
            int saturationEvents = 3000;
            double interval = 5;
            double poison = 0.05;
            int imagePx = 128;
            long seed = System.nanoTime();
            Path work = null;
            Path out = Path.of("target/soak");
            Path jar = ChaosStack.defaultServiceJar();
            Path model = Path.of(TestModel.SERVED);
            long session = 6000;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                    case "--rate" -> {
                        String value = args[++i];
                        rate = value.equals("auto") ? 0 : Double.parseDouble(value);
                    }
                    case "--rate-fraction" -> fraction = Double.parseDouble(args[++i]);
                    case "--saturation-events" -> saturationEvents = Integer.parseInt(args[++i]);
                    case "--interval-s" -> interval = Double.parseDouble(args[++i]);
                    case "--poison-share" -> poison = Double.parseDouble(args[++i]);
                    case "--image-px" -> imagePx = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--work-dir" -> work = Path.of(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--service-jar" -> jar = Path.of(args[++i]);
                    case "--model-dir" -> model = Path.of(args[++i]);
                    case "--session-timeout-ms" -> session = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            try {
                Path dir = work != null ? work : Files.createTempDirectory("lesion-soak");
                Files.createDirectories(dir);
                Files.createDirectories(out);
                return new Options(minutes, rate, fraction, saturationEvents, interval, poison, imagePx, seed, dir, out,
                        new ChaosStack.ServiceSettings(jar, model, session));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final String APPLICATION_ID = "lesion-triage";

    private final Options options;
    private final long startMs = System.currentTimeMillis();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private volatile boolean loadDone;

    private SoakRun(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println("""
                    usage: bin/soak [--minutes N] [--rate PER_S|auto] [--rate-fraction F] [--saturation-events N]
                                    [--interval-s S] [--poison-share F] [--image-px PX] [--seed S] [--work-dir DIR]
                                    [--out DIR] [--model-dir DIR] [--service-jar JAR]
                      default: 30 minutes at half of a saturation measured first (3000-event burst), 5% poison,
                               128 px synthetic images, a sample every 5 s; writes soak.csv, soak.json, soak.md
                               and soak.png under --out (target/soak)""");
            return;
        }
        System.exit(new SoakRun(Options.parse(args)).run());
    }

    private int run() throws Exception {
        log("work dir %s, out %s, seed %d, %.1f minutes", options.workDir(), options.out(), options.seed(), options.minutes());
        Path csv = options.out().resolve("soak.csv");
        try (ChaosStack stack = new ChaosStack(options.workDir(), options.service(), this::log)) {
            stack.startInfrastructure();
            try (ChaosLoad load = new ChaosLoad(stack.bootstrap(), stack.serdeConfig(), options.imagePx(), options.seed());
                 AnswerReader reader = new AnswerReader(stack.bootstrap(), stack.serdeConfig(), latencies::add);
                 Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
                reader.start();
                stack.startService();
                double saturation = Double.NaN;
                double rate = options.rate();
                if (rate <= 0) {
                    saturation = Saturation.measure(load, reader, options.saturationEvents());
                    rate = options.rateFraction() * saturation;
                }
                log("saturation %.1f events/s; soak load %.1f events/s", saturation, rate);
                double soakRate = rate;
                long loadStartMs = System.currentTimeMillis();
                long loadEndMs = loadStartMs + (long) (options.minutes() * 60_000);
                Thread producer = new Thread(() -> {
                    try {
                        load.publish(0, soakRate, options.poisonShare(), () -> System.currentTimeMillis() < loadEndMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    loadDone = true;
                }, "producer");
                producer.start();
                latencies.clear();
                List<String> rows = new ArrayList<>();
                rows.add("t_s,heap_used_mib,heap_live_after_gc_mib,rss_mib,lag,results_per_s,latency_p50_ms,"
                        + "latency_p99_ms,latency_max_ms");
                long intervalMs = (long) (options.intervalS() * 1000);
                long next = loadStartMs + intervalMs;
                long previous = loadStartMs;
                while (!loadDone) {
                    Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
                    long now = System.currentTimeMillis();
                    List<Long> window = drainLatencies();
                    Map<String, Double> metrics = scrapeMetrics(stack.serviceHttpPort());
                    rows.add(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%d,%.1f,%s,%s,%s",
                            (now - loadStartMs) / 1000.0,
                            metrics.getOrDefault("heap_used", Double.NaN) / 1048576.0,
                            metrics.getOrDefault("heap_live", Double.NaN) / 1048576.0,
                            rssKib(stack.servicePid()) / 1024.0, lag(admin),
                            window.size() / ((now - previous) / 1000.0),
                            percentile(window, 0.50), percentile(window, 0.99), percentile(window, 1.0)));
                    Files.write(csv, rows);
                    previous = now;
                    next += intervalMs;
                    if (!stack.serviceAlive()) {
                        log("the service died; see %s", stack.serviceLog());
                        return 1;
                    }
                }
                producer.join();
                log("load done: %d published; %d samples in %s", load.sent(), rows.size() - 1, csv);
                long answered = reader.awaitAllAnswered(load.acked(), load.sent() - load.sendFailures(), Duration.ofMinutes(5));
                AnswerReader.Tally tally = reader.recount(load.acked());
                Files.writeString(options.out().resolve("soak.json"), json(saturation, rate, load, tally, answered > 0));
                log("lost %d, duplicated %d, not as expected %d", tally.lost(), tally.duplicated(), tally.wrongOutcome());
                return tally.ok() && answered > 0 ? 0 : 1;
            }
        }
    }

    private String json(double saturation, double rate, ChaosLoad load, AnswerReader.Tally tally, boolean allAnswered) {
        return String.format(Locale.ROOT, """
                {"started": "%s", "minutes": %.2f, "interval_s": %.1f, "saturation_events_per_s": %s,
                 "saturation_events": %d, "rate_fraction": %.2f, "rate_events_per_s": %.2f, "image_px": %d,
                 "poison_share": %.3f, "seed": %d, "service_xmx": "1g", "published": %d, "acknowledged": %d,
                 "send_failures": %d, "results": %d, "dead_letters": %d, "lost": %d, "duplicated": %d,
                 "not_as_expected": %d, "all_answered": %b, "cpus": %d}
                """, Instant.ofEpochMilli(startMs), options.minutes(), options.intervalS(),
                Double.isNaN(saturation) ? "null" : String.format(Locale.ROOT, "%.2f", saturation),
                options.saturationEvents(), options.rateFraction(), rate, options.imagePx(), options.poisonShare(),
                options.seed(), load.sent(), tally.acknowledged(), load.sendFailures(), tally.results(), tally.letters(),
                tally.lost(), tally.duplicated(), tally.wrongOutcome(), allAnswered,
                Runtime.getRuntime().availableProcessors());
    }

    private List<Long> drainLatencies() {
        List<Long> window = new ArrayList<>();
        for (Long ms = latencies.poll(); ms != null; ms = latencies.poll()) {
            window.add(ms);
        }
        Collections.sort(window);
        return window;
    }

    private static String percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "";
        }
        return String.valueOf(sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    /** Heap in use (all heap pools) and the old generation's live data after the last collection, from Prometheus text. */
    private Map<String, Double> scrapeMetrics(int port) {
        double used = 0;
        Double live = null;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += value(line);
                } else if (line.startsWith("jvm_gc_live_data_size_bytes")) {
                    live = value(line);
                }
            }
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        return live == null ? Map.of("heap_used", used) : Map.of("heap_used", used, "heap_live", live);
    }

    private static double value(String line) {
        String[] parts = line.trim().split(" ");
        return Double.parseDouble(parts[parts.length - 1]);
    }

    private static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** The service's consumer lag on the input topic: latest offsets minus the group's committed offsets. */
    private static long lag(Admin admin) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            committed.keySet().stream().filter(p -> p.topic().equals(Topics.LESION_IMAGES))
                    .forEach(p -> request.put(p, OffsetSpec.latest()));
            var latest = admin.listOffsets(request).all().get();
            long lag = 0;
            for (var entry : latest.entrySet()) {
                lag += entry.getValue().offset() - committed.get(entry.getKey()).offset();
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    void log(String format, Object... args) {
        log(String.format(Locale.ROOT, format, args));
    }

    private void log(String message) {
        System.out.printf(Locale.ROOT, "[soak %6.1fs] %s%n", (System.currentTimeMillis() - startMs) / 1000.0, message);
        System.out.flush();
    }
}
