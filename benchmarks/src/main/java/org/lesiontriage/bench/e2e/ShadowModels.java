package org.lesiontriage.bench.e2e;

import org.lesiontriage.triage.imaging.ImageLimits;
import org.lesiontriage.triage.imaging.ImagePreprocessor;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.inference.ModelDescriptor;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.ScoringModel;
import org.lesiontriage.triage.lifecycle.ScoringModels;
import org.lesiontriage.triage.topology.TriageComponents;

/**
 * One live model for every record, as {@link ScoringModels#fixed}, and a second model that scores every batch in
 * shadow, as a {@code SHADOW} rollout from offset 0 of every partition would have it; without the lifecycle topics.
 * The shadow is always loaded (never skipped as not ready), so what the live path pays for it is one more model run
 * per batch, and the shadow topic's records.
 */
final class ShadowModels implements ScoringModels {

    /** The suffix that tells the shadow apart when it is the live model's own file loaded a second time. */
    static final String SAME_MODEL_SUFFIX = "-shadow";

    private final ScoringModel live;
    private final ScoringModel shadow;

    private ShadowModels(ScoringModel live, ScoringModel shadow) {
        this.live = live;
        this.shadow = shadow;
    }

    /** {@code live} as {@link TriageComponents#fixedModel} serves it, {@code shadow} beside it under {@link #keyOf}. */
    static ShadowModels of(LesionClassifier live, LesionClassifier shadow, ImageLimits limits) {
        ModelDescriptor model = shadow.descriptor();
        return new ShadowModels(TriageComponents.fixedModel(live, limits).current(),
                new ScoringModel(keyOf(live.descriptor(), model), shadow,
                        new ImagePreprocessor(limits, model.inputHeight(), model.inputWidth()), 0));
    }

    /**
     * The shadow's version key: its own, unless it is the live version's (the same model loaded a second time), which
     * the processor would take for no shadow at all; then the version with {@link #SAME_MODEL_SUFFIX}.
     */
    static ModelKey keyOf(ModelDescriptor live, ModelDescriptor shadow) {
        ModelKey key = new ModelKey(shadow.name(), shadow.version());
        return key.equals(new ModelKey(live.name(), live.version()))
                ? new ModelKey(shadow.name(), shadow.version() + SAME_MODEL_SUFFIX) : key;
    }

    @Override
    public ScoringModel modelFor(int partition, long offset) {
        return live;
    }

    @Override
    public ScoringModel shadowFor(int partition, long offset) {
        return shadow;
    }

    @Override
    public boolean hasShadow(int partition, long offset) {
        return true;
    }

    @Override
    public boolean knowsRollout(String rolloutId) {
        return true; // no markers in a benchmark's input
    }

    @Override
    public ScoringModel current() {
        return live;
    }
}
