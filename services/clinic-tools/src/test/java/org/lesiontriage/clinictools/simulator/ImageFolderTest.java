package org.lesiontriage.clinictools.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesiontriage.common.labels.Label;
import org.lesiontriage.testfixtures.SyntheticLesions;

@Tag("unit")
class ImageFolderTest {

    @Test
    void walksRecursivelyInFileNameOrderSoClassFoldersInterleaveWithLabelsFromClassFolders(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("non_melanoma"));
        Files.createDirectories(root.resolve("melanoma/deeper"));
        Files.write(root.resolve("non_melanoma/b.JPG"), SyntheticLesions.jpeg(1));
        Files.write(root.resolve("melanoma/a.png"), SyntheticLesions.png(2));
        Files.write(root.resolve("melanoma/deeper/c.jpeg"), SyntheticLesions.jpeg(3));
        Files.write(root.resolve("loose.jpg"), SyntheticLesions.jpeg(4));
        Files.writeString(root.resolve("melanoma/notes.txt"), "not an image");

        ImageFolder folder = ImageFolder.scan(root);
        List<String> names = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < folder.size(); i++) {
            LesionImage image = folder.load(i);
            names.add(image.fileName());
            labels.add(image.label());
        }
        assertThat(names).containsExactly("a.png", "b.JPG", "c.jpeg", "loose.jpg");
        assertThat(labels).containsExactly(Label.MELANOMA, Label.NON_MELANOMA, Label.UNKNOWN, Label.UNKNOWN);
    }
}
