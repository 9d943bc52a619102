package org.lesiontriage.bench.e2e;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lesiontriage.contracts.LesionImageEvent;
import org.lesiontriage.contracts.TriageResult;
import org.lesiontriage.registry.SpecificAvroSerializer;
import org.lesiontriage.triage.inference.LesionClassifier;
import org.lesiontriage.triage.topology.TriageComponents;
import org.lesiontriage.triage.topology.TriageResultFactory;

/**
 * Where a record's time goes inside the service, stage by stage, with plain timers on one thread: Avro decode of
 * the event, image decode + preprocessing, the model (per image, at the service's batch size), building and
 * serializing the result. What the end-to-end CPU per event has beyond their sum is Kafka: fetch, produce,
 * the changelog of pending images, transactions.
 */
final class StageProfile {

    private StageProfile() {
    }

    static Map<String, Double> measure(EventCorpus corpus, TriageComponents components, LesionClassifier classifier,
                                       int maxBatch, Map<String, ?> serdeConfig, double secondsPerStage) throws Exception {
        int n = corpus.size();
        LesionImageEvent[] events = new LesionImageEvent[n];
        float[][] tensors = new float[n][];
        for (int i = 0; i < n; i++) {
            events[i] = components.eventReader().read("bench", corpus.get(i).value());
            tensors[i] = components.preprocessor().preprocess(corpus.get(i).image(), corpus.get(i).mediaType());
        }
        Map<String, Double> msPerImage = new LinkedHashMap<>();

        msPerImage.put("avro_decode_event", timePerItem(secondsPerStage,
                i -> components.eventReader().read("bench", corpus.get(i).value())));
        msPerImage.put("image_decode_preprocess", timePerItem(secondsPerStage,
                i -> components.preprocessor().preprocess(corpus.get(i).image(), corpus.get(i).mediaType())));
        FloatBuffer batch = classifier.newBatchBuffer(maxBatch);
        for (int i = 0; i < maxBatch; i++) {
            batch.put(tensors[i % n]);
        }
        msPerImage.put("inference_at_max_batch", timePerItem(secondsPerStage, i -> classifier.classify(batch, maxBatch))
                / maxBatch);
        SpecificAvroSerializer<TriageResult> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        float[] probabilities = {0.7f, 0.3f};
        var timing = new TriageResultFactory.BatchTiming(0, 1, 1.0, maxBatch);
        var results = new TriageResultFactory(classifier.descriptor());
        msPerImage.put("result_build_serialize", timePerItem(secondsPerStage, i -> serializer.serialize("bench",
                results.create(events[i % n], 0, probabilities, timing))));
        return msPerImage;
    }

    interface Stage {
        void run(int i) throws Exception;
    }

    /** Mean milliseconds per call, after a warm-up of the same length. */
    private static double timePerItem(double seconds, Stage stage) throws Exception {
        for (int pass = 0; ; pass++) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int calls = 0;
            while (calls < 3 || System.nanoTime() < end) {
                stage.run(calls++);
            }
            if (pass == 1) {
                return (System.nanoTime() - start) / 1e6 / calls;
            }
        }
    }
}
