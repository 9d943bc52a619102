package org.lesiontriage.common.labels;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth of a simulator run, as TSV: {@code event_id, label, file}, one line per acknowledged event
 * and nothing else (no header), so {@code wc -l} is the number of events sent. The label is the class folder
 * name ({@code melanoma} / {@code non_melanoma}) or empty when the image's class is unknown. The viewer reads
 * it to score the results of exactly that run.
 */
public final class LabelsFile implements AutoCloseable {

    /** A header line some spreadsheets add; skipped when reading. */
    static final String HEADER = "event_id\tlabel\tfile";

    private final BufferedWriter writer;

    private LabelsFile(BufferedWriter writer) {
        this.writer = writer;
    }

    /** Opens the file for writing, replacing it. */
    public static LabelsFile create(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new LabelsFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Appends one line; called from the producer's callback thread too, hence synchronized. */
    public synchronized void append(String eventId, String label, String fileName) {
        try {
            writer.write(eventId + "\t" + clean(label) + "\t" + clean(fileName));
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tabs and line breaks would shift the columns; file names from a clinic's disk can contain anything. */
    private static String clean(String value) {
        return value == null ? "" : value.replaceAll("[\\t\\r\\n]", " ");
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }

    /** Reads a labels file: event id to its entry, in file order. */
    public static Map<String, LabelledEvent> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, LabelledEvent> byEventId = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || (i == 0 && line.startsWith(HEADER))) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length < 2) {
                throw new IOException(file + " line " + (i + 1) + ": expected event_id<TAB>label<TAB>file");
            }
            String fileName = columns.length > 2 ? columns[2] : "";
            byEventId.put(columns[0].trim(), new LabelledEvent(columns[0].trim(), Label.parse(columns[1]), fileName));
        }
        return byEventId;
    }
}
