package org.lesiontriage.triage.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;

/**
 * The lifecycle of one service instance: follows the lifecycle topics, prepares every release published from now
 * on, loads the versions the rollout history needs before the stream starts, retires versions no partition needs,
 * and answers the stream processor through {@link LiveModels}.
 */
public final class ModelLifecycle implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelLifecycle.class);

    /** What an instance needs to know to take part; see {@code triage.models.*} in the configuration. */
    public record Settings(String instance, String applicationId, String inputTopic, Path cacheDir,
                           InferenceOptions inference, ImageLimits limits, long memoryBudgetBytes, Duration maxWait,
                           Duration startTimeout, Duration retirementInterval, Duration retirementGrace) {
    }

    private final LifecycleView view;
    private final StatusReporter reporter;
    private final ModelPreparer preparer;
    private final LiveModels models;
    private final Admin admin;
    private final ModelRetirement retirement;

    private ModelLifecycle(LifecycleView view, StatusReporter reporter, ModelPreparer preparer, LiveModels models,
                           Admin admin, ModelRetirement retirement) {
        this.view = view;
        this.reporter = reporter;
        this.preparer = preparer;
        this.models = models;
        this.admin = admin;
        this.retirement = retirement;
    }

    /**
     * Reads the lifecycle topics up to now and loads the version that scores new input (waiting for it, up to the
     * start timeout); returns before any record is scored. {@code bootstrap} is the configured model, the version
     * of every offset before the first rollout.
     */
    public static ModelLifecycle start(Settings settings, ScoringModel bootstrap, Map<String, Object> kafkaClient,
                                       Map<String, ?> serdeConfig) throws InterruptedException {
        LifecycleView view = new LifecycleView(settings.inputTopic(), bootstrap.key(), kafkaClient, serdeConfig);
        StatusReporter reporter = new StatusReporter(settings.instance(), kafkaClient, serdeConfig);
        ModelPreparer preparer = new ModelPreparer(
                new ReleaseVerifier(settings.cacheDir(), settings.inference(), settings.limits()), reporter,
                settings.memoryBudgetBytes(), bootstrap.key());
        Admin admin = Admin.create(kafkaClient);
        try {
            // Releases read during start-up wait until it is over; from then on each is prepared as it arrives.
            java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
            view.catalog().onPublished(release -> {
                if (started.get()) {
                    preparer.prepare(release);
                }
            });
            LifecycleTopics.createMissing(admin);
            view.start(settings.startTimeout());
            preparer.adopt(bootstrap);
            started.set(true);
            candidates(view).forEach(preparer::prepare);
            LiveModels models = new LiveModels(view.history(), view.rolloutFollower(), view.catalog(), preparer,
                    settings.maxWait());
            ModelKey current = view.history().current();
            if (!current.equals(bootstrap.key())) {
                LOG.infof("The rollout history says %s is live: loading it before the stream starts", current);
                view.catalog().release(current).ifPresent(preparer::prepare);
                models.modelFor(0, Long.MAX_VALUE);
            }
            ModelRetirement retirement = new ModelRetirement(admin, settings.applicationId(), view.history(), preparer,
                    settings.retirementGrace(), () -> candidates(view).stream().map(ModelKey::of)
                            .collect(java.util.stream.Collectors.toSet()));
            retirement.start(settings.retirementInterval());
            return new ModelLifecycle(view, reporter, preparer, models, admin, retirement);
        } catch (TimeoutException e) {
            closeAll(view, reporter, preparer, admin);
            throw new IllegalStateException("The model lifecycle topics could not be read: " + e.getMessage()
                    + " (do triage-models, triage-model-status and triage-rollouts exist?)", e);
        } catch (RuntimeException | InterruptedException e) {
            closeAll(view, reporter, preparer, admin);
            throw e;
        }
    }

    /**
     * Releases published after the latest rollout (all of them before the first): what an operator may activate
     * next, so an instance that starts (or restarts during a prepare) prepares them again.
     */
    static java.util.List<org.lesiontriage.contracts.ModelRelease> candidates(LifecycleView view) {
        java.time.Instant since = view.history().latest().map(org.lesiontriage.contracts.ModelRollout::getRequestedAt)
                .orElse(java.time.Instant.EPOCH);
        return view.catalog().all().stream().filter(release -> release.getPublishedAt().isAfter(since)).toList();
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.debug("Closing a lifecycle part failed", e);
            }
        }
    }

    public LiveModels models() {
        return models;
    }

    public LifecycleView view() {
        return view;
    }

    public ModelPreparer preparer() {
        return preparer;
    }

    public String instance() {
        return reporter.instance();
    }

    @Override
    public void close() {
        closeAll(retirement, view, preparer, reporter, admin);
    }
}
