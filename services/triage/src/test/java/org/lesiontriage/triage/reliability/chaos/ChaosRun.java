package org.lesiontriage.triage.reliability.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.stack.FreePorts;
import org.lesiontriage.stack.RegistryServer;
import org.lesiontriage.triage.testing.LesionEvents;
import org.lesiontriage.triage.testing.PathingJar;
import org.lesiontriage.triage.testing.TestModel;
import org.lesiontriage.clinictools.simulator.SyntheticLesions;
import org.lesiontriage.triage.testing.TopologyHarness;
import org.lesiontriage.contracts.Topics;

/**
 * The chaos run behind {@code bin/chaos}: a broker in its own process, a registry, the packaged service, a producer
 * publishing N events at a steady rate; the service is killed with SIGKILL at random points and restarted, the broker
 * is restarted once; then the topics, read with read_committed, must hold exactly one result or dead letter per
 * acknowledged event. Prints a table and writes a Markdown report.
 */
public final class ChaosRun {

    record Options(int events, double rate, int kills, int brokerRestarts, double poisonShare, long seed, Path workDir,
                   Path report, Path serviceJar, Path modelDir, long sessionTimeoutMs, boolean smoke) {

        static Options parse(String[] args) {
            boolean smoke = List.of(args).contains("--smoke");
            int events = smoke ? 600 : 5000;
            double rate = smoke ? 12 : 30;
            int kills = smoke ? 2 : 5;
            int brokerRestarts = 1;
            double poison = 0.05;
            long seed = System.nanoTime();
            Path work = null;
            Path report = null;
            Path jar = Path.of("services/triage/target/quarkus-app/quarkus-run.jar");
            Path model = Path.of(TestModel.SERVED);
            long session = 6000;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--smoke" -> { }
                    case "--events" -> events = Integer.parseInt(args[++i]);
                    case "--rate" -> rate = Double.parseDouble(args[++i]);
                    case "--kills" -> kills = Integer.parseInt(args[++i]);
                    case "--broker-restarts" -> brokerRestarts = Integer.parseInt(args[++i]);
                    case "--poison-share" -> poison = Double.parseDouble(args[++i]);
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
                return new Options(events, rate, kills, brokerRestarts, poison, seed, dir,
                        report != null ? report : dir.resolve("chaos-report.md"), jar, model, session, smoke);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One disruption and how long the service took to answer again. */
    record Disruption(String kind, long atMs, long backAtMs, long recoveryMs, int answeredBefore) {
    }

    private final Options options;
    private final Random random;
    private final long startMs = System.currentTimeMillis();
    private final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Set<String> poisonIds = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sendFailures = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger resultCount = new AtomicInteger();
    private final AtomicInteger letterCount = new AtomicInteger();
    /** Latest scored_at (results) seen, and when it was seen. */
    private final List<long[]> resultTimes = Collections.synchronizedList(new ArrayList<>());
    private final List<Disruption> disruptions = new ArrayList<>();
    private volatile boolean stopping;
    /** Set once every planned disruption has happened; until then the producer keeps the load on. */
    private volatile boolean disruptionsDone;
    private Thread monitorThread;
    private Process broker;
    private Process service;
    private int serviceGeneration;
    private Path pathingJar;
    private int kafkaPort;
    private String bootstrap;
    private RegistryServer registry;
    private Map<String, Object> serdeConfig;

    private ChaosRun(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.println("""
                    usage: bin/chaos [--smoke] [--events N] [--rate PER_S] [--kills K] [--broker-restarts B]
                                     [--poison-share F] [--seed S] [--work-dir DIR] [--report FILE]
                                     [--model-dir DIR] [--service-jar JAR] [--session-timeout-ms MS]
                      full run:  5000 events at 30/s, 5 kills, 1 broker restart
                      --smoke:    600 events at 12/s, 2 kills, 1 broker restart (about 2 minutes)""");
            return;
        }
        Options options = Options.parse(args);
        int status = new ChaosRun(options).run();
        System.exit(status);
    }

    private int run() throws Exception {
        log("work dir %s, seed %d, %d events at %.0f/s, %d kills, %d broker restart(s), session timeout %d ms",
                options.workDir(), options.seed(), options.events(), options.rate(), options.kills(),
                options.brokerRestarts(), options.sessionTimeoutMs());
        if (!Files.isRegularFile(options.serviceJar())) {
            throw new IllegalStateException("no packaged service at " + options.serviceJar() + " (./mvnw -B install -DskipTests)");
        }
        pathingJar = PathingJar.create(Files.createDirectories(options.workDir().resolve("cp")), System.getProperty("java.class.path"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process child : new Process[] {service, broker}) {
                if (child != null) {
                    child.destroyForcibly();
                }
            }
        }, "chaos-cleanup"));
        kafkaPort = FreePorts.pick();
        bootstrap = "127.0.0.1:" + kafkaPort;
        try {
            startBroker();
            registry = RegistryServer.start(0, 0, Files.createDirectories(options.workDir().resolve("registry")));
            serdeConfig = Map.of("schema.registry.url", registry.confluentUrl());
            monitorThread = new Thread(this::monitor, "monitor");
            monitorThread.setDaemon(true);
            monitorThread.start();
            startService();
            Thread producer = new Thread(this::produce, "producer");
            producer.setDaemon(true);
            producer.start();
            awaitNewResult(startMs, Duration.ofMinutes(3));
            log("service answering");

            int brokerAfterKill = options.brokerRestarts() > 0 ? Math.max(1, options.kills() / 2) : -1;
            for (int k = 1; k <= options.kills(); k++) {
                pause(2_000 + random.nextInt(6_000));
                killService(k);
                if (k == brokerAfterKill) {
                    pause(2_000 + random.nextInt(3_000));
                    restartBroker();
                }
            }
            if (options.kills() == 0 && options.brokerRestarts() > 0) {
                pause(5_000);
                restartBroker();
            }
            disruptionsDone = true;
            producer.join();
            log("producer done: %d sent, %d acknowledged, %d send failures", sent.get(), acked.size(), sendFailures.get());
            awaitAllAnswered(Duration.ofMinutes(5));
            pause(3_000); // catch late duplicates
            stopping = true;
            return report();
        } finally {
            stopping = true;
            disruptionsDone = true;
            if (service != null) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (registry != null) {
                registry.close();
            }
            if (broker != null) {
                broker.destroy();
                broker.waitFor(30, TimeUnit.SECONDS);
                broker.destroyForcibly();
            }
        }
    }

    // ---- processes ----------------------------------------------------------------------------------------------

    private void startBroker() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logDir = options.workDir().resolve("kafka");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx768m", "-cp", pathingJar.toString(),
                ChaosBroker.class.getName(), String.valueOf(kafkaPort), logDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(options.workDir().resolve("broker.log").toFile()));
        broker = builder.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(options.workDir().resolve("broker.log")).contains("BROKER READY")
                || occurrences(Files.readString(options.workDir().resolve("broker.log")), "BROKER READY") < brokerStarts + 1) {
            if (!broker.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("broker did not start; see " + options.workDir().resolve("broker.log"));
            }
            Thread.sleep(200);
        }
        brokerStarts++;
        log("broker up on %s (start %d)", bootstrap, brokerStarts);
    }

    private int brokerStarts;

    private void restartBroker() throws Exception {
        long at = System.currentTimeMillis();
        int before = answered();
        log("broker restart: SIGTERM");
        broker.destroy();
        if (!broker.waitFor(60, TimeUnit.SECONDS)) {
            broker.destroyForcibly().waitFor();
        }
        startBroker();
        long back = awaitNewResult(at, Duration.ofMinutes(5));
        disruptions.add(new Disruption("broker restart", at, back, back - at, before));
        log("broker restart: first new result %.1f s after the stop", (back - at) / 1000.0);
    }

    private void startService() throws IOException {
        serviceGeneration++;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g",
                "-Dkafka-streams.consumer.session.timeout.ms=" + options.sessionTimeoutMs(),
                "-Dkafka-streams.consumer.heartbeat.interval.ms=" + Math.max(500, options.sessionTimeoutMs() / 6),
                "-Dkafka-streams.state.dir=" + options.workDir().resolve("state"),
                "-Dkafka-streams.producer.delivery.timeout.ms=300000",
                "-jar", options.serviceJar().toString());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        builder.environment().put("SCHEMA_REGISTRY_URL", registry.confluentUrl());
        builder.environment().put("TRIAGE_MODEL_DIR", options.modelDir().toString());
        builder.environment().put("TRIAGE_HTTP_PORT", String.valueOf(FreePorts.pick()));
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(options.workDir().resolve("service.log").toFile()));
        service = builder.start();
        log("service started (generation %d, pid %d)", serviceGeneration, service.pid());
    }

    private void killService(int k) throws Exception {
        int before = answered();
        long at = System.currentTimeMillis();
        service.destroyForcibly(); // SIGKILL
        service.waitFor();
        log("kill %d: SIGKILL pid %d with %d answered of %d sent", k, service.pid(), before, sent.get());
        startService();
        long back = awaitNewResult(at, Duration.ofMinutes(3));
        disruptions.add(new Disruption("kill -9 #" + k, at, back, back - at, before));
        log("kill %d: first new result %.1f s after the kill", k, (back - at) / 1000.0);
    }

    // ---- load and observation ------------------------------------------------------------------------------------

    private void produce() {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            images.add(SyntheticLesions.jpeg(256, 256, options.seed() + i));
        }
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        Random local = new Random(options.seed() ^ 0x5DEECE66DL);
        long intervalNanos = (long) (1e9 / options.rate());
        long next = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            // At least the planned number of events, and more if a slow recovery used them up before the last
            // disruption: a kill with nothing left to answer would measure no recovery at all.
            for (int i = 0; i < options.events() || !disruptionsDone; i++) {
                boolean poison = local.nextDouble() < options.poisonShare();
                byte[] image = images.get(i % images.size());
                LesionImageEvent event = poison
                        ? LesionEvents.builder(java.util.Arrays.copyOf(image, image.length / 3), "image/jpeg").build()
                        : LesionEvents.builder(image, "image/jpeg").build();
                String id = event.getEventId().toString();
                if (poison) {
                    poisonIds.add(id);
                }
                byte[] value = TopologyHarness.serialize(event, serdeConfig);
                producer.send(new ProducerRecord<>(Topics.LESION_IMAGES, event.getCaseRef().getBytes(StandardCharsets.UTF_8), value),
                        (metadata, error) -> {
                            if (error == null) {
                                acked.add(id);
                            } else {
                                sendFailures.incrementAndGet();
                            }
                        });
                sent.incrementAndGet();
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads results and dead letters continuously with read_committed, as a dashboard would. */
    private void monitor() {
        SpecificAvroDeserializer<TriageResult> results = TopologyHarness.deserializer(TriageResult.class, serdeConfig);
        SpecificAvroDeserializer<DeadLetter> letters = TopologyHarness.deserializer(DeadLetter.class, serdeConfig);
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "chaos-verifier-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // assign, not subscribe: a group rebalance (the broker restart) must not rewind a reader without
            // committed offsets to the beginning, which would count every earlier answer twice.
            consumer.assign(partitions(consumer));
            consumer.seekToBeginning(consumer.assignment());
            while (!stopping) {
                for (var record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    String id;
                    if (record.topic().equals(Topics.TRIAGE_RESULTS)) {
                        TriageResult result = results.deserialize(record.topic(), record.value());
                        id = result.getEventId().toString();
                        resultCount.incrementAndGet();
                        resultTimes.add(new long[] {result.getScoredAt().toEpochMilli(), now});
                    } else {
                        DeadLetter letter = letters.deserialize(record.topic(), record.value());
                        id = letter.getEventId() != null ? letter.getEventId() : "offset:" + letter.getSourceOffset();
                        letterCount.incrementAndGet();
                    }
                    answers.computeIfAbsent(id, ignored -> new AtomicInteger()).incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            if (!stopping) {
                log("monitor failed: %s", e);
            }
        }
    }

    /** Waits for a result scored after {@code sinceMs} to become visible; returns when it was seen. */
    private long awaitNewResult(long sinceMs, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            synchronized (resultTimes) {
                for (long[] t : resultTimes) {
                    if (t[0] > sinceMs) {
                        long seen = t[1];
                        long first = seen;
                        for (long[] u : resultTimes) {
                            if (u[0] > sinceMs) {
                                first = Math.min(first, u[1]);
                            }
                        }
                        return first;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no new result within " + timeout + "; see " + options.workDir().resolve("service.log"));
    }

    private void awaitAllAnswered(Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (answers.keySet().containsAll(acked)) {
                log("all %d acknowledged events answered", acked.size());
                return;
            }
            Thread.sleep(200);
        }
        log("timed out waiting for answers");
    }

    private int answered() {
        return answers.size();
    }

    // ---- report -----------------------------------------------------------------------------------------------------

    private static List<org.apache.kafka.common.TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
        List<org.apache.kafka.common.TopicPartition> all = new ArrayList<>();
        for (String topic : List.of(Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES)) {
            consumer.partitionsFor(topic).forEach(p -> all.add(new org.apache.kafka.common.TopicPartition(topic, p.partition())));
        }
        return all;
    }

    /**
     * The authoritative count, independent of the live monitor: a fresh read_committed reader reads both topics from
     * the beginning up to their last stable offsets.
     */
    private void recount() throws InterruptedException {
        monitorThread.join(5_000); // stopping is set: the live reader ends within one poll
        answers.clear();
        resultCount.set(0);
        letterCount.set(0);
        SpecificAvroDeserializer<TriageResult> results = TopologyHarness.deserializer(TriageResult.class, serdeConfig);
        SpecificAvroDeserializer<DeadLetter> letters = TopologyHarness.deserializer(DeadLetter.class, serdeConfig);
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    String id;
                    if (record.topic().equals(Topics.TRIAGE_RESULTS)) {
                        id = results.deserialize(record.topic(), record.value()).getEventId().toString();
                        resultCount.incrementAndGet();
                    } else {
                        DeadLetter letter = letters.deserialize(record.topic(), record.value());
                        id = letter.getEventId() != null ? letter.getEventId() : "offset:" + letter.getSourceOffset();
                        letterCount.incrementAndGet();
                    }
                    answers.computeIfAbsent(id, ignored -> new AtomicInteger()).incrementAndGet();
                }
            }
        }
    }

    private int report() throws IOException, InterruptedException {
        recount();
        Set<String> answeredIds = new HashSet<>(answers.keySet());
        long lost = acked.stream().filter(id -> !answeredIds.contains(id)).count();
        long duplicated = answers.values().stream().filter(n -> n.get() > 1).count();
        long unexpected = answeredIds.stream().filter(id -> !acked.contains(id)).count();
        long poisonAcked = acked.stream().filter(poisonIds::contains).count();
        long elapsed = System.currentTimeMillis() - startMs;
        boolean ok = lost == 0 && duplicated == 0 && unexpected == 0 && sendFailures.get() == 0
                && letterCount.get() == poisonAcked && resultCount.get() == acked.size() - poisonAcked;

        StringBuilder md = new StringBuilder();
        md.append("# Chaos run ").append(Instant.ofEpochMilli(startMs)).append("\n\n");
        md.append(String.format(Locale.ROOT, "%s run, seed %d: %d events (%d planned) at %.0f/s (%.0f%% poison), %d service kills (SIGKILL), "
                        + "%d broker restart(s), consumer session timeout %d ms, %.0f s in all.%n%n",
                options.smoke() ? "Smoke" : "Full", options.seed(), sent.get(), options.events(), options.rate(), options.poisonShare() * 100,
                options.kills(), options.brokerRestarts(), options.sessionTimeoutMs(), elapsed / 1000.0));
        md.append("| disruption | at (s) | answered before | first new result after (s) |\n|---|---:|---:|---:|\n");
        for (Disruption d : disruptions) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %d | %.1f |%n", d.kind(), (d.atMs() - startMs) / 1000.0,
                    d.answeredBefore(), d.recoveryMs() / 1000.0));
        }
        md.append("\n| count | value |\n|---|---:|\n");
        row(md, "events sent", sent.get());
        row(md, "acknowledged by the broker", acked.size());
        row(md, "send failures", sendFailures.get());
        row(md, "results (read_committed)", resultCount.get());
        row(md, "dead letters (read_committed)", letterCount.get());
        row(md, "poison events acknowledged", poisonAcked);
        row(md, "lost (acknowledged, never answered)", lost);
        row(md, "duplicated (answered more than once)", duplicated);
        row(md, "answers for unknown events", unexpected);
        md.append("\nVerdict: **").append(ok ? "PASS" : "FAIL").append("**\n");
        Files.createDirectories(options.report().toAbsolutePath().getParent());
        Files.writeString(options.report(), md.toString());
        System.out.println();
        System.out.println(md);
        System.out.println("report: " + options.report().toAbsolutePath());
        return ok ? 0 : 1;
    }

    private static void row(StringBuilder md, String name, long value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[chaos %6.1fs] %s%n", (System.currentTimeMillis() - startMs) / 1000.0,
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
