package org.lesiontriage.triage.rescore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;
import org.lesiontriage.triage.failures.AttemptLedger;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.lifecycle.AsLiveModels;
import org.lesiontriage.triage.lifecycle.ScoringModels;
import org.lesiontriage.triage.topology.DeadLetterTopicLimit;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageTopics;
import org.lesiontriage.triage.topology.TriageTopologyFactory;

/**
 * One bounded replay of the image topic through the live service's topology, with another model.
 *
 * <p>It is its own Kafka Streams application (consumer group, transactions, state), so the live service never
 * notices it. The range is resolved to offsets once, at the first start, and kept in the job's folder; the
 * consumer group starts at the range's start. The job is complete when its committed offsets have reached the
 * range's end and no image is left waiting for a batch; it then closes, which commits the last results.
 * Exactly-once processing makes a job killed at any point resume without duplicates when started again.
 */
public final class RescoreJob {

    private static final Logger LOG = Logger.getLogger(RescoreJob.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** A stream thread that fails this often is not meeting a transient fault. */
    private static final int MAX_THREAD_REPLACEMENTS = 3;

    private final RescoreRequest request;
    private final RescoreSettings settings;
    private final Instant startedAt = Instant.now();
    private volatile RescoreStatus status;
    private volatile boolean cancelRequested;

    public RescoreJob(RescoreRequest request, RescoreSettings settings) {
        this.request = request;
        this.settings = settings;
        this.status = new RescoreStatus(request.jobId(), RescoreState.STARTING, null, 0, 0, 0, null, startedAt, null, null);
    }

    public String jobId() {
        return request.jobId();
    }

    public RescoreStatus status() {
        return status;
    }

    /** Stops the job at its next poll; what it committed stays, and starting the same job again resumes there. */
    public void cancel() {
        cancelRequested = true;
    }

    /** Runs until the range is done, the job is cancelled or it fails; never throws. */
    public RescoreStatus run() {
        try {
            return replay();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finish(RescoreState.CANCELLED, "interrupted");
        } catch (ExecutionException e) {
            return failed(e.getCause() != null ? e.getCause() : e);
        } catch (Exception e) {
            return failed(e);
        }
    }

    private RescoreStatus replay() throws Exception {
        if (cancelRequested) {
            return finish(RescoreState.CANCELLED, "cancelled before it started; start the same job again to run it");
        }
        settings.refusal(request).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        Path dir = Files.createDirectories(settings.jobDir(request.jobId()));
        Path reportFile = dir.resolve("report.json");
        Path planFile = dir.resolve("plan.json");
        if (Files.exists(planFile)) {
            refuseIfChanged(RescorePlan.load(planFile), planFile);
        }
        if (Files.exists(reportFile)) {
            RescoreReport report = JobFiles.JSON.readValue(reportFile.toFile(), RescoreReport.class);
            LOG.infof("Re-score job %s was already completed; its report: %s", request.jobId(), reportFile);
            return completed(report);
        }
        try (Admin admin = Admin.create(settings.pipeline().kafkaClientConfig());
             LesionClassifier classifier = settings.pipeline().loadModel(request.modelDir());
             AttemptLedger attempts = settings.pipeline().attemptLedger(request.applicationId());
             AsLiveModels asLive = request.asLive() ? openAsLive(classifier, dir) : null) {
            RescorePlan plan = planOnce(admin, planFile);
            RescoreTopics.createOutputs(admin, plan);
            RescoreOffsets.refuseIfRunningElsewhere(admin, request.applicationId());
            boolean resumed = RescoreOffsets.startOrResume(admin, request.applicationId(), plan, dir.resolve("offsets"));
            ScoringModels models = asLive != null ? asLive.models()
                    : TriageComponents.fixedModel(classifier, settings.pipeline().limits());
            LOG.infof("Re-score job %s: %d events of %s with %s into %s (%s)", request.jobId(), plan.total(),
                    plan.sourceTopic(), asLive != null ? "the versions live for each offset ("
                            + asLive.history().all().size() + " rollouts)" : "model " + classifier.descriptor().name()
                            + " " + classifier.descriptor().version(), plan.resultsTopic(), resumed ? "resumed" : "new");
            return stream(admin, plan, classifier.descriptor(), components(models, attempts), resumed, dir,
                    reportFile);
        }
    }

    /** The rollout history and the releases, for a replay "as live"; the configured model is the first version. */
    private AsLiveModels openAsLive(LesionClassifier bootstrap, Path dir) throws Exception {
        var pipeline = settings.pipeline();
        return AsLiveModels.open(request.sourceTopic(), TriageComponents.fixedModel(bootstrap, pipeline.limits()).current(),
                dir.resolve("models"), pipeline.inference(), pipeline.limits(), pipeline.kafkaClientConfig(),
                pipeline.serdeConfig(), Duration.ofMinutes(2));
    }

    private RescorePlan planOnce(Admin admin, Path planFile) throws Exception {
        if (Files.exists(planFile)) {
            return RescorePlan.load(planFile);
        }
        RescorePlan plan = new RescorePlanner(admin).plan(request);
        plan.save(planFile);
        return plan;
    }

    private void refuseIfChanged(RescorePlan plan, Path planFile) {
        if (!plan.matches(request)) {
            throw new IllegalArgumentException("job " + request.jobId() + " was started with another range, model "
                    + "or output (" + planFile + "); use a new job id");
        }
    }

    private TriageComponents components(ScoringModels models, AttemptLedger attempts) {
        TriageComponents components = settings.pipeline().components(models, new SimpleMeterRegistry(), attempts);
        DeadLetterTopicLimit.apply(settings.pipeline().kafkaClientConfig(), request.failuresTopic(),
                components.deadLetters());
        return components;
    }

    private RescoreStatus stream(Admin admin, RescorePlan plan, ModelDescriptor model, TriageComponents components,
                                boolean resumed, Path dir, Path reportFile) throws Exception {
        var topics = new TriageTopics(plan.sourceTopic(), plan.resultsTopic(), plan.failuresTopic());
        Properties props = settings.pipeline().streamsProperties(request.applicationId(), dir.resolve("state"));
        // A job killed and started again waits for its former member's session to time out: keep it short
        // (unless the settings say otherwise).
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        props.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // Kafka Streams keeps a closed member in its group, expecting it back soon; a replay job leaves instead,
        // so that, started again, it does not wait a session timeout for its own former member.
        props.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), true);
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        AtomicInteger replacements = new AtomicInteger();
        KafkaStreams streams = new KafkaStreams(
                settings.pipeline().topology(topics, components, plan), props);
        try {
            streams.setUncaughtExceptionHandler(exception -> {
                lastFailure.set(exception);
                LOG.warnf("Re-score job %s: stream thread failed (%s)", request.jobId(), exception.getMessage());
                return replacements.incrementAndGet() <= MAX_THREAD_REPLACEMENTS
                        ? StreamThreadExceptionResponse.REPLACE_THREAD : StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            if (cancelRequested) {
                return finish(RescoreState.CANCELLED, "cancelled before it started; start the same job again to run it");
            }
            long createdNanos = System.nanoTime();
            streams.start();
            RescoreOffsets progress = new RescoreOffsets(admin, request.applicationId(), plan);
            long firstDone = -1;
            long runningSince = 0;
            while (true) {
                Thread.sleep(POLL.toMillis());
                KafkaStreams.State state = streams.state();
                if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                        || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                    Throwable why = lastFailure.get();
                    return finish(RescoreState.FAILED, "stream stopped (" + state + ")"
                            + (why != null ? ": " + why.getMessage() : "") + "; start the job again to resume");
                }
                long done;
                try {
                    done = progress.done();
                } catch (ExecutionException transientAdminFailure) {
                    // e.g. the group coordinator moved: ask again at the next poll; the stream's own state
                    // (checked above) says when something is really wrong
                    LOG.debugf("Re-score job %s: offsets not readable now (%s)", request.jobId(),
                            transientAdminFailure.getMessage());
                    continue;
                }
                if (firstDone < 0 && state == KafkaStreams.State.RUNNING) {
                    firstDone = done;
                    runningSince = System.nanoTime();
                }
                double seconds = firstDone < 0 ? 0 : (System.nanoTime() - runningSince) / 1e9;
                double rate = seconds > 0 ? (done - firstDone) / seconds : 0;
                Double eta = rate > 0 ? (plan.total() - done) / rate : null;
                status = new RescoreStatus(request.jobId(), RescoreState.REPLAYING, model.version(), plan.total(), done,
                        rate, eta, startedAt, null, null);
                // A member closed while it joins the group is left behind in it until its session times out;
                // cancel once the stream runs (or has tried for a while), so a resumed job does not wait for it.
                boolean settled = state == KafkaStreams.State.RUNNING || System.nanoTime() - createdNanos > CLOSE_TIMEOUT.toNanos();
                if (cancelRequested && settled) {
                    streams.close(CLOSE_TIMEOUT);
                    return finish(RescoreState.CANCELLED, "cancelled at " + done + " of " + plan.total()
                            + "; start the same job again to resume");
                }
                if (done >= plan.total() && noImageWaiting(streams)) {
                    // A graceful close commits the open transaction: the last results become visible.
                    if (!streams.close(CLOSE_TIMEOUT)) {
                        return finish(RescoreState.FAILED, "did not close within " + CLOSE_TIMEOUT + "; start it again");
                    }
                    // The close's commit may have been aborted (a timeout, a fenced producer): only the committed
                    // changelog says whether the last results are out.
                    int stillWaiting = PendingChangelog.waitingImages(settings.pipeline().kafkaClientConfig(), request.applicationId());
                    if (stillWaiting > 0 || progress.done() < plan.total()) {
                        return finish(RescoreState.FAILED, "the last commit did not go through (" + stillWaiting
                                + " image(s) still waiting in the committed state); start the job again to finish");
                    }
                    double replaySeconds = firstDone < 0 ? 0 : (System.nanoTime() - runningSince) / 1e9;
                    long lost = progress.lostToRetention();
                    if (lost > 0) {
                        LOG.warnf("Re-score job %s: %d event(s) of the range were deleted by retention before the job "
                                + "read them", request.jobId(), lost);
                    }
                    RescoreReport report = report(plan, model, components, resumed, replaySeconds, lost);
                    JobFiles.write(reportFile, report);
                    LOG.infof("Re-score job %s completed: %d events, %.1f events/s", request.jobId(), plan.total(),
                            report.eventsPerSecond());
                    return completed(report);
                }
            }
        } finally {
            streams.close(CLOSE_TIMEOUT); // no-op after a close; bounded, unlike the unbounded close()
        }
    }

    /** Images read but not yet answered sit in the pending store (see TriageProcessor). */
    private static boolean noImageWaiting(KafkaStreams streams) {
        try {
            ReadOnlyKeyValueStore<Long, Object> pending = streams.store(StoreQueryParameters.fromNameAndType(
                    TriageTopologyFactory.PENDING_STORE, QueryableStoreTypes.<Long, Object>keyValueStore()));
            try (KeyValueIterator<Long, Object> all = pending.all()) {
                return !all.hasNext();
            }
        } catch (InvalidStateStoreException notQueryableNow) {
            return false; // rebalancing or restoring: ask again at the next poll
        }
    }

    private RescoreReport report(RescorePlan plan, ModelDescriptor model, TriageComponents components, boolean resumed,
                                double replaySeconds, long lostToRetention) {
        MeterRegistry meters = components.metrics().registry();
        long results = Math.round(meters.find("triage.results").counters().stream().mapToDouble(Counter::count).sum());
        long letters = Math.round(meters.find("triage.dead.letters").counters().stream().mapToDouble(Counter::count).sum());
        DistributionSummary batches = meters.find("triage.batch.size").summary();
        return new RescoreReport(request.jobId(), model.name(), model.version(), model.threshold(), plan.sourceTopic(),
                plan.resultsTopic(), plan.failuresTopic(), plan.total(), lostToRetention, results, letters, resumed,
                replaySeconds,
                replaySeconds > 0 ? (results + letters) / replaySeconds : 0,
                batches == null || batches.count() == 0 ? 0 : batches.mean(), Instant.now());
    }

    private RescoreStatus completed(RescoreReport report) {
        status = new RescoreStatus(request.jobId(), RescoreState.COMPLETED, report.modelVersion(), report.eventsInRange(),
                report.eventsInRange(), report.eventsPerSecond(), 0.0, startedAt, null, report);
        return status;
    }

    private RescoreStatus failed(Throwable e) {
        LOG.errorf("Re-score job %s failed: %s", request.jobId(), e.getMessage());
        return finish(RescoreState.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private RescoreStatus finish(RescoreState state, String message) {
        RescoreStatus last = status;
        status = new RescoreStatus(request.jobId(), state, last.modelVersion(), last.total(), last.done(),
                last.eventsPerSecond(), null, startedAt, message, null);
        return status;
    }
}
