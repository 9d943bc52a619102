package org.lesiontriage.common.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class LabelsFileTest {

    @Test
    void writesOneLinePerEventWithoutHeaderAndReadsItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/labels.tsv");
        try (LabelsFile labels = LabelsFile.create(file)) {
            labels.append("e1", "melanoma", "a.jpg");
            labels.append("e2", "", "odd\tname.jpg");
            labels.append("e3", "non_melanoma", "c.png");
        }
        assertThat(Files.readAllLines(file)).containsExactly("e1\tmelanoma\ta.jpg",
                "e2\t\todd name.jpg", "e3\tnon_melanoma\tc.png");
        Map<String, LabelledEvent> read = LabelsFile.read(file);
        assertThat(read).containsOnlyKeys("e1", "e2", "e3");
        assertThat(read.get("e1").label()).isEqualTo(Label.MELANOMA);
        assertThat(read.get("e2").label()).isEqualTo(Label.UNKNOWN);
        assertThat(read.get("e3")).isEqualTo(new LabelledEvent("e3", Label.NON_MELANOMA, "c.png"));

        Files.writeString(file, "event_id\tlabel\tfile\ne4\tmelanoma\td.jpg\n");
        assertThat(LabelsFile.read(file)).containsOnlyKeys("e4");
    }
}
