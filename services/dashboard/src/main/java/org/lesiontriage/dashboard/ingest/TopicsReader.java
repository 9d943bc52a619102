package org.lesiontriage.dashboard.ingest;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.CaseReview;
import org.lesiontriage.contracts.DeadLetter;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.dashboard.operations.PipelineStats;
import org.lesiontriage.dashboard.queue.QueueEntry;
import org.lesiontriage.dashboard.queue.ReviewMark;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.dashboard.rollout.RolloutWatch;
import org.lesiontriage.registry.RegistrySerdeException;
import org.lesiontriage.registry.SpecificAvroDeserializer;

/**
 * Reads triage-results, triage-failures and triage-reviews (read_committed) into a working set and the pipeline
 * statistics, and triage-shadow-results and triage-rollouts into the rollout watch (which also keeps the live
 * results' scores), from the start of the topics (or a lookback; the rollouts always whole) at every start: the
 * topics are the state, the dashboard keeps none of its own. {@link #run()} loops until {@link #close()}.
 *
 * <p>Values are deserialized here: a record that does not read is counted and skipped, while a registry that cannot
 * be reached (a transient reason) makes the reader wait and read the record again.
 */
public final class TopicsReader implements Runnable, AutoCloseable {

    /** The topics' names. */
    public record Names(String results, String failures, String reviews, String shadowResults, String rollouts) {
    }

    private static final Logger LOG = Logger.getLogger(TopicsReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final long COMMIT_EVERY_MS = 5_000;

    private final Names topics;
    private final Optional<Duration> lookback;
    private final WorkingSet workingSet;
    private final PipelineStats stats;
    private final RolloutWatch rollouts;
    private final CatchUp catchUp = new CatchUp();
    private final KafkaConsumer<String, byte[]> consumer;
    private final SpecificAvroDeserializer<TriageResult> results = new SpecificAvroDeserializer<>(TriageResult.class);
    private final SpecificAvroDeserializer<DeadLetter> deadLetters = new SpecificAvroDeserializer<>(DeadLetter.class);
    private final SpecificAvroDeserializer<CaseReview> reviews = new SpecificAvroDeserializer<>(CaseReview.class);
    private final SpecificAvroDeserializer<ModelRollout> rolloutValues = new SpecificAvroDeserializer<>(ModelRollout.class);
    private volatile boolean stopping;
    private volatile Throwable failure;

    /**
     * @param consumerConfig a consumer's settings with its group (read_committed, no auto commit)
     * @param lookback       at start, records older than this are skipped; empty: the whole topics
     */
    public TopicsReader(Map<String, Object> consumerConfig, Map<String, Object> serdeConfig, Names topics,
                        Optional<Duration> lookback, WorkingSet workingSet, PipelineStats stats, RolloutWatch rollouts) {
        this.topics = topics;
        this.lookback = lookback;
        this.workingSet = workingSet;
        this.stats = stats;
        this.rollouts = rollouts;
        results.configure(serdeConfig, false);
        deadLetters.configure(serdeConfig, false);
        reviews.configure(serdeConfig, false);
        rolloutValues.configure(serdeConfig, false);
        Map<String, Object> props = new HashMap<>(consumerConfig);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** True once everything the topics held at start has been read. */
    public boolean caughtUp() {
        return catchUp.caughtUp();
    }

    /** The partitions not read up to their end offset at start yet, with that offset. */
    public Map<TopicPartition, Long> catchUpRemaining() {
        return catchUp.remaining();
    }

    /** Null while the reader runs or after a clean stop; why it stopped otherwise. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topics.results(), topics.failures(), topics.reviews(), topics.shadowResults(),
                    topics.rollouts()), new StartPositions());
            long lastCommit = System.currentTimeMillis();
            while (!stopping) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
                boolean retry = false;
                for (TopicPartition partition : batch.partitions()) {
                    retry |= !handle(partition, batch.records(partition));
                }
                for (TopicPartition partition : consumer.assignment()) {
                    catchUp.position(partition, consumer.position(partition));
                }
                if (retry) {
                    Thread.sleep(RETRY.toMillis());
                }
                if (System.currentTimeMillis() - lastCommit > COMMIT_EVERY_MS) {
                    consumer.commitAsync(); // only so that lag shows in Kafka's tools: every start seeks anyway
                    lastCommit = System.currentTimeMillis();
                }
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
            LOG.error("The topic reader stopped; the dashboard is not live", e);
        } finally {
            consumer.close();
        }
    }

    /** Makes {@link #run()} return soon; callable from any thread. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
    }

    /** Handles a partition's records in order; false when it stopped at a transient failure (read again later). */
    private boolean handle(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                accept(record);
            } catch (RegistrySerdeException e) {
                if (e.isTransient()) {
                    LOG.warnf("Registry unavailable (%s); reading %s again shortly", e.reasonCode(), partition);
                    consumer.seek(partition, record.offset());
                    return false;
                }
                stats.unreadable(record.topic(), e.reasonCode());
            }
        }
        return true;
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (record.value() == null) {
            return; // a tombstone: nothing to show
        }
        long now = System.currentTimeMillis();
        if (topic.equals(topics.results())) {
            TriageResult result = results.deserialize(topic, record.value());
            workingSet.add(QueueEntry.of(result, record.timestamp()));
            stats.result(result, record.timestamp(), now, catchUp.caughtUp());
            rollouts.live(result, now);
        } else if (topic.equals(topics.failures())) {
            stats.deadLetter(deadLetters.deserialize(topic, record.value()));
        } else if (topic.equals(topics.reviews())) {
            workingSet.apply(ReviewMark.of(reviews.deserialize(topic, record.value())));
        } else if (topic.equals(topics.shadowResults())) {
            rollouts.shadow(results.deserialize(topic, record.value()), now);
        } else {
            rollouts.rollout(rolloutValues.deserialize(topic, record.value()));
        }
    }

    /**
     * At a partition's first assignment: back to the start (or the lookback; the rollouts always to their start, the
     * history decides what is in effect), whatever the group committed. After a
     * rebalance of the group (a lost session), the reader goes on from its last commit instead of reading
     * everything again; what it reads twice is held once.
     */
    private final class StartPositions implements ConsumerRebalanceListener {
        private final Set<TopicPartition> started = new HashSet<>();

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            List<TopicPartition> partitions = assigned.stream().filter(p -> !started.contains(p)).toList();
            if (partitions.isEmpty()) {
                return;
            }
            started.addAll(partitions);
            List<TopicPartition> whole = partitions.stream()
                    .filter(p -> lookback.isEmpty() || p.topic().equals(topics.rollouts())).toList();
            List<TopicPartition> recent = partitions.stream().filter(p -> !whole.contains(p)).toList();
            if (!whole.isEmpty()) {
                consumer.seekToBeginning(whole); // an empty list would mean every assigned partition
            }
            if (!recent.isEmpty()) {
                long since = System.currentTimeMillis() - lookback.get().toMillis();
                Map<TopicPartition, Long> query = new HashMap<>();
                recent.forEach(p -> query.put(p, since));
                Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
                Map<TopicPartition, Long> ends = consumer.endOffsets(recent);
                recent.forEach(p -> consumer.seek(p, starts.get(p) != null ? starts.get(p).offset() : ends.get(p)));
            }
            catchUp.start(consumer.endOffsets(Set.copyOf(partitions)));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing is held per partition
        }
    }
}
