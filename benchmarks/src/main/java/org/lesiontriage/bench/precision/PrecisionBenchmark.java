package org.lesiontriage.bench.precision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.lesiontriage.bench.common.BenchCommand;
import org.lesiontriage.bench.common.CpuClock;
import org.lesiontriage.bench.common.JsonReport;
import org.lesiontriage.bench.common.ServedSettings;
import org.lesiontriage.bench.inference.ServiceClassifierRunner;
import org.lesiontriage.bench.inference.TimedLoop;
import org.lesiontriage.common.metrics.Percentiles;
import org.lesiontriage.triage.inference.InferenceOptions;
import org.lesiontriage.triage.inference.LesionClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A reduced-precision variant (e.g. the int8 QDQ model from {@code training/cli.sh quantize}) against the model it
 * came from, both loaded as the service loads them (LesionClassifier: graph optimisation ALL, no spinning) in one
 * process: agreement on a labelled split (ROC AUC, sensitivity/specificity at the threshold, |delta p(melanoma)|)
 * and images/s by batch size, the two models measured in alternation, round after round, so that a noisy machine
 * slows both alike. Prints a table and writes the JSON report.
 *
 * <p>{@code bench precision --variant-dir models/triagenet/2.0.0-int8 [--model-dir models/triagenet/2.0.0]
 * [--images ../shared/data/isic/test] [--batches 1,8,32] [--rounds 5] [--threads 2]}
 */
@Command(name = "precision", description = "A reduced-precision variant vs its model: test-split agreement and "
        + "images/s, same process, interleaved")
public final class PrecisionBenchmark extends BenchCommand {

    @Option(names = "--variant-dir", required = true, description = "folder with the variant's model.onnx")
    Path variantDir;
    @Option(names = "--images", description = "labelled split (melanoma/, non_melanoma/); skipped when missing")
    Path images = Path.of("../shared/data/isic/test");
    @Option(names = "--limit", description = "at most this many labelled images")
    int limit = Integer.MAX_VALUE;
    @Option(names = "--batches", split = ",")
    List<Integer> batches = List.of(1, 8, 32);
    @Option(names = "--threads", description = "ONNX Runtime intra-op threads (default: as served)")
    Integer threads;
    @Option(names = "--rounds", description = "alternations of the two models per batch size")
    int rounds = 5;
    @Option(names = "--warmup-s")
    double warmupSeconds = 0.3;
    @Option(names = "--measure-s", description = "seconds per model, batch size and round")
    double measureSeconds = 1.0;
    @Option(names = "--min-runs")
    int minRuns = 3;

    public PrecisionBenchmark() {
        super("precision");
    }

    @Override
    protected void run() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        threads = Objects.requireNonNullElseGet(threads, () -> ServedSettings.read().intraOpThreads());
        try (LesionClassifier reference = LesionClassifier.load(modelDir(), InferenceOptions.cpu(threads));
             LesionClassifier variant = LesionClassifier.load(variantDir, InferenceOptions.cpu(threads))) {
            report.put("reference", describe(modelDir(), reference));
            report.put("variant", describe(variantDir, variant));
            report.put("threads", threads);
            if (Files.isDirectory(images)) {
                LabelledImages labelled = LabelledImages.load(images, reference.descriptor().inputHeight(),
                        reference.descriptor().inputWidth(), limit);
                Map<String, Object> agreement = PrecisionAgreement.measure(reference, variant, labelled);
                agreement.put("images_dir", images.toString());
                report.put("agreement", agreement);
                printAgreement(agreement);
            } else {
                System.out.println("No labelled images at " + images + ": speed only");
            }
            report.put("speed", speed(reference, variant));
        }
        JsonReport.write(out(), report);
        System.out.println("report: " + out());
    }

    private List<Map<String, Object>> speed(LesionClassifier reference, LesionClassifier variant) throws Exception {
        TimedLoop loop = new TimedLoop(warmupSeconds, measureSeconds, minRuns);
        int maxBatch = batches.stream().mapToInt(Integer::intValue).max().orElseThrow();
        // the runners only borrow the classifiers (closed above), so they are not closed here
        ServiceClassifierRunner[] runners = {new ServiceClassifierRunner(reference, maxBatch),
            new ServiceClassifierRunner(variant, maxBatch)};
        CpuClock clock = new CpuClock();
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.printf("%n%6s %16s %16s %8s %10s%n", "batch", "reference img/s", "variant img/s", "ratio",
                "ratio min");
        for (int batch : batches) {
            List<Double> ref = new ArrayList<>();
            List<Double> var = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                boolean referenceFirst = round % 2 == 0; // neither model always runs on a just-warmed machine
                double a = 0;
                double b = 0;
                for (int k = 0; k < 2; k++) {
                    boolean isReference = (k == 0) == referenceFirst;
                    double ips = loop.measure(runners[isReference ? 0 : 1], batch).imagesPerSecond();
                    if (isReference) {
                        a = ips;
                    } else {
                        b = ips;
                    }
                }
                ref.add(a);
                var.add(b);
                ratios.add(b / a);
            }
            Percentiles r = Percentiles.of(ratios);
            double refMedian = Percentiles.of(ref).at(50);
            double varMedian = Percentiles.of(var).at(50);
            System.out.printf("%6d %16.1f %16.1f %7.2fx %9.2fx%n", batch, refMedian, varMedian, r.at(50), r.at(0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch", batch);
            row.put("reference_images_per_s", ref);
            row.put("variant_images_per_s", var);
            row.put("reference_median", refMedian);
            row.put("variant_median", varMedian);
            row.put("ratio_per_round", ratios);
            row.put("ratio_median", r.at(50));
            row.put("ratio_min", r.at(0));
            rows.add(row);
        }
        System.out.printf("machine busy %.0f%% (all processes), this process %.2f cores%n",
                100 * clock.machineBusy(), clock.processCores());
        return rows;
    }

    private static Map<String, Object> describe(Path dir, LesionClassifier classifier) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dir", dir.toString());
        out.put("version", classifier.descriptor().version());
        out.put("sha256", classifier.descriptor().sha256());
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void printAgreement(Map<String, Object> a) {
        Map<String, Object> ref = (Map<String, Object>) a.get("reference");
        Map<String, Object> var = (Map<String, Object>) a.get("variant");
        System.out.printf("%d images (%d melanoma), %s%n", (Integer) a.get("images"), (Integer) a.get("melanoma"),
                a.get("images_dir"));
        System.out.printf("%-10s %9s %12s %12s%n", "", "ROC AUC", "sensitivity", "specificity");
        for (var entry : List.of(Map.entry("reference", ref), Map.entry("variant", var))) {
            Map<String, Object> m = entry.getValue();
            System.out.printf("%-10s %9.4f %12.4f %12.4f%n", entry.getKey(), m.get("roc_auc"), m.get("sensitivity"),
                    m.get("specificity"));
        }
        System.out.printf("AUC difference %+.4f; max |delta p(melanoma)| %.4f (%s), mean %.4f; priority changes %d%n",
                a.get("auc_difference"), a.get("max_abs_delta_p_melanoma"), a.get("max_abs_delta_image"),
                a.get("mean_abs_delta_p_melanoma"), (Integer) a.get("priority_changes"));
    }
}
