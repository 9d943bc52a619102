package org.lesiontriage.triage.rescore;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The re-score jobs started over REST. They run one at a time beside the live topology (each loads its own model
 * and competes with the live service for the cores; a queued job waits as STARTING). Stopping the service cancels
 * them; starting a job with the same id later resumes it.
 */
@ApplicationScoped
public class RescoreJobs {

    private final Map<String, RescoreJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "rescore-runner");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    RescoreSettings settings;

    /**
     * @throws IllegalArgumentException when the request would write into the live flow
     * @throws IllegalStateException    when a job with this id is still running
     */
    public synchronized RescoreStatus start(RescoreRequest request) {
        settings.refusal(request).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        RescoreJob existing = jobs.get(request.jobId());
        if (existing != null && !existing.status().state().finished()) {
            throw new IllegalStateException("job " + request.jobId() + " is " + existing.status().state());
        }
        RescoreJob job = new RescoreJob(request, settings);
        jobs.put(request.jobId(), job);
        runner.submit(job::run);
        return job.status();
    }

    public Optional<RescoreStatus> status(String jobId) {
        return Optional.ofNullable(jobs.get(jobId)).map(RescoreJob::status);
    }

    public Collection<RescoreStatus> all() {
        return jobs.values().stream().map(RescoreJob::status).toList();
    }

    public Optional<RescoreStatus> cancel(String jobId) {
        RescoreJob job = jobs.get(jobId);
        if (job == null) {
            return Optional.empty();
        }
        job.cancel();
        return Optional.of(job.status());
    }

    @PreDestroy
    void stop() throws InterruptedException {
        jobs.values().forEach(RescoreJob::cancel);
        runner.shutdownNow(); // queued jobs never start; the running one sees its cancel (or the interrupt)
        runner.awaitTermination(70, TimeUnit.SECONDS);
    }
}
