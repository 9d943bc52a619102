package org.lesiontriage.deploy.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The anchors GitHub gives a Markdown file's headings (lower case, punctuation dropped, spaces to hyphens). */
public final class MarkdownSections {

    private MarkdownSections() {
    }

    public static Set<String> anchors(Path markdown) {
        try {
            Set<String> anchors = new LinkedHashSet<>();
            boolean fenced = false;
            for (String line : Files.readAllLines(markdown)) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced && line.matches("#{1,6} .*")) {
                    anchors.add(anchor(line.replaceFirst("#{1,6} ", "")));
                }
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + markdown, e);
        }
    }

    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
