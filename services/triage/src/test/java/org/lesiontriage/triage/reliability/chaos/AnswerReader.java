package org.lesiontriage.triage.reliability.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.RecordLimits;
import org.lesiontriage.contracts.Topics;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroDeserializer;
import org.lesiontriage.triage.testing.TopologyHarness;

/**
 * Reads results and dead letters with read_committed, as a dashboard would: live while the run goes on (when
 * results flow, the latency of each), and once more at the end with a fresh reader from the beginning to the last
 * stable offsets, which gives the verdict. Results are counted by event id, dead letters by the partition and offset
 * of their input (a record whose body cannot be read has no event id to give).
 */
final class AnswerReader implements AutoCloseable {

    /** Answers counted per input. */
    static final class Answers {
        final Map<String, AtomicInteger> results = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> letters = new ConcurrentHashMap<>();
        final Map<String, String> letterReasons = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();

        boolean answered(ChaosLoad.Sent sent) {
            return results.containsKey(sent.id()) || letters.containsKey(sent.position());
        }
    }

    /** The verdict's counts; {@code byKind} holds, per kind of input, {acknowledged, answered as expected}. */
    record Tally(int acknowledged, int results, int letters, int lost, int duplicated, int unexpected,
                 int wrongOutcome, Map<String, int[]> byKind) {

        boolean ok() {
            return lost == 0 && duplicated == 0 && unexpected == 0 && wrongOutcome == 0;
        }
    }

    private final String bootstrap;
    private final SpecificAvroDeserializer<TriageResult> results;
    private final SpecificAvroDeserializer<DeadLetter> letters;
    private final Answers live = new Answers();
    /** Called with the end-to-end latency (ms) of each result as it becomes visible. */
    private final LongConsumer latencies;
    /** Each result's scored_at and when it became visible (epoch ms). */
    private final List<long[]> resultTimes = new ArrayList<>();
    private volatile boolean stopping;
    private Thread thread;

    AnswerReader(String bootstrap, Map<String, Object> serdeConfig, LongConsumer latencies) {
        this.bootstrap = bootstrap;
        this.results = TopologyHarness.deserializer(TriageResult.class, serdeConfig);
        this.letters = TopologyHarness.deserializer(DeadLetter.class, serdeConfig);
        this.latencies = latencies;
    }

    void start() {
        thread = new Thread(this::readLive, "answer-reader");
        thread.setDaemon(true);
        thread.start();
    }

    Answers live() {
        return live;
    }

    private KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, RecordLimits.MAX_IMAGE_RECORD_BYTES));
        config.putAll(extra);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // assign, not subscribe: a group rebalance (a broker restart) must not rewind a reader without committed
        // offsets to the beginning, which would count every earlier answer twice.
        List<TopicPartition> all = new ArrayList<>();
        for (String topic : List.of(Topics.TRIAGE_RESULTS, Topics.TRIAGE_FAILURES)) {
            consumer.partitionsFor(topic).forEach(p -> all.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return consumer;
    }

    private void readLive() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG,
                "chaos-verifier-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    TriageResult result = count(record, live);
                    if (result != null) {
                        synchronized (resultTimes) {
                            resultTimes.add(new long[] {result.getScoredAt().toEpochMilli(), now});
                        }
                        latencies.accept(now - record.timestamp()); // the result keeps its input's timestamp
                    }
                }
            }
        } catch (RuntimeException e) {
            if (!stopping) {
                System.err.println("answer reader failed: " + e);
            }
        }
    }

    /** Counts one answer; returns the result if it was one. */
    private TriageResult count(ConsumerRecord<byte[], byte[]> record, Answers into) {
        into.total.incrementAndGet();
        if (record.topic().equals(Topics.TRIAGE_RESULTS)) {
            TriageResult result = results.deserialize(record.topic(), record.value());
            into.results.computeIfAbsent(result.getEventId().toString(), k -> new AtomicInteger()).incrementAndGet();
            return result;
        }
        DeadLetter letter = letters.deserialize(record.topic(), record.value());
        String position = ChaosLoad.position(letter.getSourcePartition(), letter.getSourceOffset());
        into.letters.computeIfAbsent(position, k -> new AtomicInteger()).incrementAndGet();
        into.letterReasons.put(position, letter.getReasonCode());
        return null;
    }

    /** Waits for a result scored after {@code sinceMs} to become visible; returns when the first such was seen. */
    long awaitNewResult(long sinceMs, Duration timeout, String hint) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            long first = Long.MAX_VALUE;
            synchronized (resultTimes) {
                for (int i = resultTimes.size() - 1; i >= 0 && resultTimes.get(i)[1] >= sinceMs; i--) {
                    if (resultTimes.get(i)[0] > sinceMs) { // seen after the disruption, so look no further back
                        first = Math.min(first, resultTimes.get(i)[1]);
                    }
                }
            }
            if (first != Long.MAX_VALUE) {
                return first;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no new result within " + timeout + "; see " + hint);
    }

    /** Waits until every acknowledged input has an answer; returns when that was seen, or -1 on timeout. */
    long awaitAllAnswered(Map<String, ChaosLoad.Sent> acked, int expected, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (acked.size() >= expected && acked.values().stream().allMatch(live::answered)) {
                return System.currentTimeMillis();
            }
            Thread.sleep(50);
        }
        return -1;
    }

    /** The authoritative count: a fresh read_committed reader, both topics from the beginning to their ends. */
    Tally recount(Map<String, ChaosLoad.Sent> acked) throws InterruptedException {
        close();
        Answers answers = new Answers();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline
                    && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    count(record, answers);
                }
            }
        }
        return tally(acked, answers);
    }

    private static Tally tally(Map<String, ChaosLoad.Sent> acked, Answers answers) {
        int lost = 0;
        int duplicated = 0;
        int wrong = 0;
        Map<String, int[]> byKind = new TreeMap<>();
        java.util.Set<String> positions = new java.util.HashSet<>();
        for (ChaosLoad.Sent sent : acked.values()) {
            positions.add(sent.position());
            int r = countOf(answers.results, sent.id());
            int l = countOf(answers.letters, sent.position());
            lost += r + l == 0 ? 1 : 0;
            duplicated += r + l > 1 ? 1 : 0;
            boolean asExpected = sent.expected() == null ? r == 1 && l == 0
                    : l == 1 && r == 0 && sent.expected().name().equals(answers.letterReasons.get(sent.position()));
            wrong += r + l == 1 && !asExpected ? 1 : 0;
            int[] kind = byKind.computeIfAbsent(sent.kind() + (sent.expected() == null ? "" : " -> " + sent.expected()),
                    k -> new int[2]);
            kind[0]++;
            kind[1] += asExpected ? 1 : 0;
        }
        int unexpected = (int) (answers.results.keySet().stream().filter(id -> !acked.containsKey(id)).count()
                + answers.letters.keySet().stream().filter(p -> !positions.contains(p)).count());
        int resultCount = answers.results.values().stream().mapToInt(AtomicInteger::get).sum();
        int letterCount = answers.letters.values().stream().mapToInt(AtomicInteger::get).sum();
        return new Tally(acked.size(), resultCount, letterCount, lost, duplicated, unexpected, wrong, byKind);
    }

    private static int countOf(Map<String, AtomicInteger> counts, String key) {
        AtomicInteger n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (thread != null) {
            thread.join(5_000);
        }
    }
}
