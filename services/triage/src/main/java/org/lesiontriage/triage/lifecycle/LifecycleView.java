package org.lesiontriage.triage.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.ModelStatus;
import org.lesiontriage.contracts.Topics;

/**
 * The three lifecycle topics read into memory and followed: releases, instance statuses and the rollout history of
 * one input topic. The service holds one; the CLI and a replay "as live" open one for as long as they need it.
 */
public final class LifecycleView implements AutoCloseable {

    private final ReleaseCatalog catalog = new ReleaseCatalog();
    private final StatusBoard statuses = new StatusBoard();
    private final RolloutHistory history;
    private final TopicFollower<ModelRelease> releaseFollower;
    private final TopicFollower<ModelStatus> statusFollower;
    private final TopicFollower<ModelRollout> rolloutFollower;

    public LifecycleView(String inputTopic, ModelKey bootstrap, Map<String, Object> kafkaClient, Map<String, ?> serdeConfig) {
        this.history = new RolloutHistory(inputTopic, bootstrap);
        this.releaseFollower = new TopicFollower<>(Topics.MODELS, ModelRelease.class, kafkaClient, serdeConfig, catalog::accept);
        this.statusFollower = new TopicFollower<>(Topics.MODEL_STATUS, ModelStatus.class, kafkaClient, serdeConfig, statuses::accept);
        this.rolloutFollower = new TopicFollower<>(Topics.ROLLOUTS, ModelRollout.class, kafkaClient, serdeConfig,
                (key, rollout) -> {
                    if (rollout != null) {
                        history.add(rollout);
                    }
                });
    }

    /** Starts following and returns once all three topics are read up to now. */
    public LifecycleView start(Duration timeout) throws TimeoutException, InterruptedException {
        releaseFollower.start();
        statusFollower.start();
        rolloutFollower.start();
        catchUp(timeout);
        return this;
    }

    public void catchUp(Duration timeout) throws TimeoutException, InterruptedException {
        rolloutFollower.awaitCaughtUp(timeout);
        releaseFollower.awaitCaughtUp(timeout);
        statusFollower.awaitCaughtUp(timeout);
    }

    public ReleaseCatalog catalog() {
        return catalog;
    }

    public StatusBoard statuses() {
        return statuses;
    }

    public RolloutHistory history() {
        return history;
    }

    TopicFollower<ModelRollout> rolloutFollower() {
        return rolloutFollower;
    }

    @Override
    public void close() {
        releaseFollower.close();
        statusFollower.close();
        rolloutFollower.close();
    }
}
