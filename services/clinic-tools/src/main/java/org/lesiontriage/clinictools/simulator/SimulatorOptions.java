package org.lesiontriage.clinictools.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.lesiontriage.clinictools.cli.ClientSettings;
import org.lesiontriage.clinictools.cli.CommandLines;
import org.lesiontriage.clinictools.cli.ConnectionOptions;
import org.lesiontriage.clinictools.cli.UsageException;
import org.lesiontriage.contracts.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of bin/simulate. */
public record SimulatorOptions(
        boolean help,
        String bootstrapServers,
        String registryUrl,
        String topic,
        Path images,
        int synthetic,
        int clinics,
        double rate,
        int limit,
        int skip,
        Path labelsOut,
        ClientSettings clientSettings) {

    /** System property with the repository root, set by bin/simulate; the default image folder hangs off it. */
    public static final String PROJECT_ROOT_PROPERTY = "lesion.project.root";
    /** The ISIC 2017 test split, next to the repository, when it has been fetched. */
    static final String DEFAULT_IMAGES = "../shared/data/isic/test";
    /** Synthetic images published when there is no folder to read. */
    static final int DEFAULT_SYNTHETIC = 24;

    @Command(name = "bin/simulate", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Publishes lesion images as LesionImageEvents, like a clinic would.",
            footer = "Exit status: 0 when every event was acknowledged, 1 when any send failed, 2 on a bad command line.")
    static final class Spec {
        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Option(names = "--topic", paramLabel = "NAME", description = "topic to publish to (default: lesion-images)")
        String topic = Topics.LESION_IMAGES;

        @Option(names = "--images", paramLabel = "DIR", description = "publish the .jpg/.jpeg/.png files under DIR, "
                + "recursively, sorted by file name (default: ../shared/data/isic/test next to the repository when it "
                + "exists, else synthetic images)")
        Path images;

        @Option(names = "--synthetic", paramLabel = "N",
                description = "publish N synthetic lesion-like JPEGs instead (their triage means nothing)")
        Integer synthetic;

        @Option(names = "--clinics", paramLabel = "N", description = "spread the events over clinic-1..clinic-N (default: 3)")
        int clinics = 3;

        @Option(names = "--rate", paramLabel = "R", description = "events per second, 0 = as fast as possible (default: 0)")
        double rate;

        @Option(names = "--limit", paramLabel = "N", description = "publish at most N images (default: all)")
        int limit = Integer.MAX_VALUE;

        @Option(names = "--skip", paramLabel = "N", description = "start at the (N+1)th image, e.g. to send a second half "
                + "after --limit N (default: 0)")
        int skip;

        @Option(names = "--labels-out", paramLabel = "FILE", description = "write event_id<TAB>label<TAB>file for every "
                + "event sent (label = class folder name melanoma/non_melanoma, else empty), for bin/viewer --labels")
        Path labelsOut;
    }

    public static String usage() {
        return CommandLines.usage(new Spec());
    }

    public static SimulatorOptions parse(String[] args) {
        return parse(args, System.getenv(), System.getProperty(PROJECT_ROOT_PROPERTY));
    }

    static SimulatorOptions parse(String[] args, Map<String, String> env, String projectRoot) {
        Spec spec = new Spec();
        boolean help = CommandLines.parse(spec, args);
        Path images = spec.images;
        Integer synthetic = spec.synthetic == null ? null : CommandLines.positive(spec.synthetic, "--synthetic");
        if (images != null && synthetic != null) {
            throw new UsageException("--images and --synthetic exclude each other");
        }
        if (images == null && synthetic == null) {
            Path shared = projectRoot == null ? null : Path.of(projectRoot).resolve(DEFAULT_IMAGES).normalize();
            if (shared != null && Files.isDirectory(shared)) {
                images = shared;
            } else {
                synthetic = DEFAULT_SYNTHETIC;
            }
        }
        return new SimulatorOptions(help, spec.connection.bootstrapServers(env), spec.connection.registryUrl(env),
                spec.topic, images, synthetic == null ? 0 : synthetic, CommandLines.positive(spec.clinics, "--clinics"),
                CommandLines.nonNegative(spec.rate, "--rate"), CommandLines.positive(spec.limit, "--limit"),
                (int) CommandLines.nonNegative(spec.skip, "--skip"), spec.labelsOut, spec.connection.clientSettings(env));
    }

    public boolean isSynthetic() {
        return images == null;
    }
}
