package org.lesiontriage.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * YAML documents as JSON trees. SnakeYAML reads them because it resolves merge keys ({@code <<: *anchor}), which
 * Compose files use; the trees are what the schema validator takes.
 */
public final class YamlDocuments {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private YamlDocuments() {
    }

    /** Every non-empty document of a (multi-document) YAML text. */
    public static List<JsonNode> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(64 * 1024 * 1024);
        List<JsonNode> documents = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(text)) {
            if (document != null) {
                documents.add(JSON.valueToTree(plain(document)));
            }
        }
        return documents;
    }

    public static List<JsonNode> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The one document of a file. */
    public static JsonNode readOne(Path file) {
        List<JsonNode> documents = read(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + documents.size() + " YAML documents, not one");
        }
        return documents.get(0);
    }

    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    /** YAML 1.1 timestamps come back as Dates; manifests mean the text they wrote. */
    private static Object plain(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), plain(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(YamlDocuments::plain).toList();
        }
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        return value;
    }
}
