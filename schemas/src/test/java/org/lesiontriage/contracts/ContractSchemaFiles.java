package org.lesiontriage.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The contract schemas as files: the current ones in src/main/avro and the released ones in
 * history/&lt;RecordName&gt;/v&lt;N&gt;.avsc.
 */
final class ContractSchemaFiles {

    /** Types other schemas refer to by full name; parsed first so those references resolve. */
    static final List<String> SHARED_TYPES = List.of("ModelRef", "ClassProbability");
    static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    private ContractSchemaFiles() {
    }

    static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        return basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
    }

    static Path currentDir() {
        return moduleDir().resolve("src/main/avro");
    }

    static Path historyDir() {
        return moduleDir().resolve("history");
    }

    /** The current schemas by record name. */
    static Map<String, Schema> current() {
        Schema.Parser parser = new Schema.Parser();
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (String shared : SHARED_TYPES) {
            schemas.put(shared, parse(parser, currentDir().resolve(shared + ".avsc")));
        }
        for (Path file : list(currentDir())) {
            String name = file.getFileName().toString().replace(".avsc", "");
            if (!schemas.containsKey(name)) {
                schemas.put(name, parse(parser, file));
            }
        }
        return schemas;
    }

    /**
     * Released versions by record name, then version. References to the shared types resolve to their current
     * version: a change to a shared type is checked against that type's own history.
     */
    static Map<String, TreeMap<Integer, Schema>> history() {
        List<Schema> sharedTypes = SHARED_TYPES.stream().map(current()::get).toList();
        Map<String, TreeMap<Integer, Schema>> history = new TreeMap<>();
        for (Path recordDir : list(historyDir())) {
            String name = recordDir.getFileName().toString();
            TreeMap<Integer, Schema> versions = new TreeMap<>();
            for (Path file : list(recordDir)) {
                Matcher version = VERSION_FILE.matcher(file.getFileName().toString());
                if (!version.matches()) {
                    throw new IllegalStateException("Unexpected file in history: " + name + "/" + file.getFileName()
                            + "; expected v<N>.avsc");
                }
                Schema.Parser parser = new Schema.Parser();
                if (!SHARED_TYPES.contains(name)) {
                    parser.addTypes(sharedTypes);
                }
                versions.put(Integer.parseInt(version.group(1)), parse(parser, file));
            }
            history.put(name, versions);
        }
        return history;
    }

    private static Schema parse(Schema.Parser parser, Path file) {
        try {
            return parser.parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
