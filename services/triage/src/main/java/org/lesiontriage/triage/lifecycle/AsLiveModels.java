package org.lesiontriage.triage.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.inference.InferenceOptions;

/**
 * The models of a replay "as live": the rollout history read from triage-rollouts, each version loaded from its
 * release when the replay first reaches an offset it scored, and checked like the live service checks it. The
 * rule is the live one ({@link LiveModels}), so a replay of a period that spans a switch gives the live results.
 * It reports no statuses: a replay is not an instance of the service.
 */
public final class AsLiveModels implements AutoCloseable {

    private final LifecycleView view;
    private final ModelPreparer preparer;
    private final LiveModels models;

    private AsLiveModels(LifecycleView view, ModelPreparer preparer, LiveModels models) {
        this.view = view;
        this.preparer = preparer;
        this.models = models;
    }

    /** @param bootstrap the version of every offset before the first rollout (the service's configured model) */
    public static AsLiveModels open(String inputTopic, ScoringModel bootstrap, Path cacheDir, InferenceOptions inference,
                                    ImageLimits limits, Map<String, Object> kafkaClient, Map<String, ?> serdeConfig,
                                    Duration timeout) throws TimeoutException, InterruptedException {
        LifecycleView view = new LifecycleView(inputTopic, bootstrap.key(), kafkaClient, serdeConfig);
        ModelPreparer preparer = new ModelPreparer(new ReleaseVerifier(cacheDir, inference, limits),
                StatusReporter.logOnly("replay"), 0, bootstrap.key());
        try {
            view.start(timeout);
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            view.close();
            throw e;
        }
        preparer.adopt(bootstrap);
        return new AsLiveModels(view, preparer,
                new LiveModels(view.history(), view.rolloutFollower(), view.catalog(), preparer, timeout));
    }

    public ScoringModels models() {
        return models;
    }

    public RolloutHistory history() {
        return view.history();
    }

    @Override
    public void close() {
        view.close();
        preparer.close();
    }
}
