package org.lesiontriage.deploy.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Quarkus application.properties as a deployment sees it: its keys, and the environment variables its values
 * read through {@code ${VARIABLE:default}} expressions (nested ones too), with their defaults.
 */
public final class ApplicationProperties {

    /** ${NAME or ${NAME:default}, NAME in the environment's style (upper case), not a property reference. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:([^}$]*))?");

    private final Map<String, String> properties;

    private ApplicationProperties(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    public static ApplicationProperties read(Path file) {
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> properties = new TreeMap<>();
        loaded.stringPropertyNames().forEach(key -> properties.put(key, loaded.getProperty(key)));
        return new ApplicationProperties(properties);
    }

    public Map<String, String> properties() {
        return properties;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** Every environment variable a value reads, with its default ("" when it has none). */
    public Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        properties.values().forEach(value -> {
            Matcher matcher = VARIABLE.matcher(value);
            while (matcher.find()) {
                variables.putIfAbsent(matcher.group(1), matcher.group(3) == null ? "" : matcher.group(3));
            }
        });
        return variables;
    }

    /** The value of a key whose value reads a variable, as the service resolves it for this environment. */
    public Optional<String> resolve(String key, Map<String, String> environment) {
        return get(key).map(value -> {
            Matcher matcher = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:([^}]*))?}").matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                String fallback = matcher.group(3) == null ? "" : matcher.group(3);
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(
                        environment.getOrDefault(matcher.group(1), fallback)));
            }
            matcher.appendTail(resolved);
            return resolved.toString();
        });
    }
}
