package org.lesiontriage.triage.lifecycle;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.lesiontriage.contracts.ModelRelease;
import org.lesiontriage.contracts.ModelState;

/**
 * Prepares releases in the background, one at a time, and holds the models this instance has loaded. A release
 * that fails its checks, or would take the loaded models past the memory budget, is reported FAILED and never
 * touches the models being served. Thread-safe.
 */
public final class ModelPreparer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelPreparer.class);

    /** Where one version stands on this instance. */
    public record Preparation(ModelState state, String sha256, ScoringModel model, String reason) {
    }

    private final ReleaseVerifier verifier;
    private final StatusReporter reporter;
    private final long memoryBudgetBytes;
    private final Map<ModelKey, Preparation> versions = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("triage-model-prepare"));

    /** Loaded by its owner (the configured model): retired here when no partition needs it, closed by its owner. */
    private final ModelKey adopted;

    public ModelPreparer(ReleaseVerifier verifier, StatusReporter reporter, long memoryBudgetBytes, ModelKey adopted) {
        this.verifier = verifier;
        this.reporter = reporter;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.adopted = adopted;
    }

    /** A model loaded outside the lifecycle (the configured bootstrap model): READY as it is. */
    public void adopt(ScoringModel model) {
        versions.put(model.key(), new Preparation(ModelState.READY, model.descriptor().sha256(), model, null));
        reporter.report(model.key(), model.descriptor().sha256(), ModelState.READY, null, model.memoryBytes());
    }

    /**
     * Prepares {@code release} in the background unless this instance already has it (same bytes) loaded or under
     * way; a release it failed before is tried again (publishing it again is how an operator asks for that).
     */
    public void prepare(ModelRelease release) {
        ModelKey key = ModelKey.of(release);
        synchronized (versions) {
            Preparation now = versions.get(key);
            boolean loadedOrLoading = now != null
                    && (now.state() == ModelState.READY || now.state() == ModelState.PREPARING);
            if (loadedOrLoading && release.getSha256().equals(now.sha256())) {
                if (now.state() == ModelState.READY) {
                    reporter.report(key, now.sha256(), ModelState.READY, null, now.model().memoryBytes());
                }
                return;
            }
            if (loadedOrLoading) {
                // The loaded model stays; this report concerns the other bytes only.
                reporter.report(key, release.getSha256(), ModelState.FAILED, "version " + key + " is loaded with "
                        + "other bytes (sha256 " + now.sha256() + "); a version's bytes never change: publish a new version", 0);
                return;
            }
            versions.put(key, new Preparation(ModelState.PREPARING, release.getSha256(), null, null));
        }
        reporter.report(key, release.getSha256(), ModelState.PREPARING, null, 0);
        worker.execute(() -> load(release));
    }

    private void load(ModelRelease release) {
        ModelKey key = ModelKey.of(release);
        long started = System.nanoTime();
        try {
            ScoringModel model = verifier.prepare(release);
            long loaded = loadedBytes() + model.memoryBytes();
            if (memoryBudgetBytes > 0 && loaded > memoryBudgetBytes) {
                model.classifier().close();
                fail(key, release.getSha256(), String.format("memory budget: the loaded models would take %d MiB, "
                        + "the budget is %d MiB (triage.models.memory-budget); retire a version first",
                        loaded >> 20, memoryBudgetBytes >> 20));
                return;
            }
            versions.put(key, new Preparation(ModelState.READY, release.getSha256(), model, null));
            reporter.report(key, release.getSha256(), ModelState.READY, null, model.memoryBytes());
            LOG.infof("Prepared %s in %d ms (%d MiB resident)", key, (System.nanoTime() - started) / 1_000_000,
                    model.memoryBytes() >> 20);
        } catch (ReleaseRejectedException e) {
            fail(key, release.getSha256(), e.getMessage());
        } catch (RuntimeException | Error e) {
            fail(key, release.getSha256(), "preparing failed: " + e);
        }
    }

    private void fail(ModelKey key, String sha256, String reason) {
        versions.put(key, new Preparation(ModelState.FAILED, sha256, null, reason));
        reporter.report(key, sha256, ModelState.FAILED, reason, 0);
    }

    public Optional<Preparation> preparation(ModelKey key) {
        return Optional.ofNullable(versions.get(key));
    }

    public Optional<ScoringModel> ready(ModelKey key) {
        Preparation preparation = versions.get(key);
        return preparation != null && preparation.state() == ModelState.READY
                ? Optional.of(preparation.model()) : Optional.empty();
    }

    public Collection<ModelKey> loaded() {
        return versions.entrySet().stream().filter(entry -> entry.getValue().state() == ModelState.READY)
                .map(Map.Entry::getKey).toList();
    }

    long loadedBytes() {
        return versions.values().stream().filter(p -> p.state() == ModelState.READY)
                .mapToLong(p -> p.model().memoryBytes()).sum();
    }

    /** Unloads {@code key}: no partition will ask for it again (see {@link ModelRetirement}). */
    public void retire(ModelKey key) {
        Preparation preparation = versions.get(key);
        if (preparation == null || preparation.state() != ModelState.READY) {
            return;
        }
        versions.put(key, new Preparation(ModelState.RETIRED, preparation.sha256(), null, null));
        preparation.model().classifier().close();
        reporter.report(key, preparation.sha256(), ModelState.RETIRED, null, 0);
    }

    public List<Map.Entry<ModelKey, Preparation>> all() {
        return List.copyOf(versions.entrySet());
    }

    @Override
    public void close() {
        worker.shutdownNow();
        versions.forEach((key, p) -> {
            if (p.model() != null && !key.equals(adopted)) {
                p.model().classifier().close();
            }
        });
    }
}
