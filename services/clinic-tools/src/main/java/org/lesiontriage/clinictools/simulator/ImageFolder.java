package org.lesiontriage.clinictools.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.lesiontriage.common.labels.Label;

/**
 * The .jpg/.jpeg/.png files under a folder, recursively, in a stable order (sorted by file name, then by path
 * relative to the folder), so two runs over the same folder publish the same sequence, and class folders
 * interleave the way a clinic's cases would rather than one class after the other ({@code --limit} then takes
 * a mix). An image's label is the name of the
 * folder it sits in when that is a class name ({@code melanoma}, {@code non_melanoma}).
 */
public final class ImageFolder implements ImageSource {

    private final Path root;
    private final List<Path> files;

    private ImageFolder(Path root, List<Path> files) {
        this.root = root;
        this.files = files;
    }

    public static ImageFolder scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("not a folder: " + root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> files = walk
                    .filter(Files::isRegularFile)
                    .filter(ImageFolder::isImageName)
                    .map(root::relativize)
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString())
                            .thenComparing(p -> p.toString().replace('\\', '/')))
                    .collect(Collectors.toList());
            return new ImageFolder(root, files);
        }
    }

    private static boolean isImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public LesionImage load(int index) throws IOException {
        Path relative = files.get(index);
        Path parent = relative.getParent();
        Label label = parent == null ? Label.UNKNOWN : Label.parse(parent.getFileName().toString());
        return new LesionImage(relative.getFileName().toString(), label, Files.readAllBytes(root.resolve(relative)));
    }

    @Override
    public String describe() {
        return files.size() + " images under " + shortest(root);
    }

    /** The folder relative to the working directory when that is shorter, so logs and docs show no home paths. */
    private static Path shortest(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        try {
            Path relative = Path.of("").toAbsolutePath().relativize(absolute);
            return relative.toString().length() < absolute.toString().length() ? relative : absolute;
        } catch (IllegalArgumentException e) {
            return absolute; // another drive or file system
        }
    }
}
