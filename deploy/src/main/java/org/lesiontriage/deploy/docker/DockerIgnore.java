package org.lesiontriage.deploy.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} as Docker reads it: each line a pattern relative to the context root ({@code *} and
 * {@code ?} within a path segment, {@code **} across segments), {@code !} re-including; a path is excluded when
 * the last pattern that matches it or one of its parent folders excludes it.
 */
public final class DockerIgnore {

    private record Rule(Pattern pattern, boolean exclude) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static DockerIgnore parse(Path file) {
        try {
            return of(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static DockerIgnore of(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String line : lines) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) {
                continue;
            }
            boolean exclude = !pattern.startsWith("!");
            pattern = clean(exclude ? pattern : pattern.substring(1).strip());
            rules.add(new Rule(Pattern.compile(regex(pattern)), exclude));
        }
        return new DockerIgnore(rules);
    }

    /** Whether a path of the context (relative, '/'-separated) stays out of the build context. */
    public boolean excludes(String path) {
        String cleaned = clean(path);
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesOrParentMatches(rule.pattern(), cleaned)) {
                excluded = rule.exclude();
            }
        }
        return excluded;
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        String candidate = path;
        while (true) {
            if (pattern.matcher(candidate).matches()) {
                return true;
            }
            int slash = candidate.lastIndexOf('/');
            if (slash < 0) {
                return false;
            }
            candidate = candidate.substring(0, slash);
        }
    }

    private static String clean(String path) {
        String cleaned = path.replaceAll("/+", "/");
        while (cleaned.startsWith("./") || cleaned.startsWith("/")) {
            cleaned = cleaned.startsWith("./") ? cleaned.substring(2) : cleaned.substring(1);
        }
        while (cleaned.endsWith("/") && cleaned.length() > 1) {
            cleaned = cleaned.substring(0, cleaned.length() - 1);
        }
        return cleaned;
    }

    private static String regex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                boolean slashFollows = i + 2 < pattern.length() && pattern.charAt(i + 2) == '/';
                regex.append(slashFollows ? "(.*/)?" : ".*");
                i += slashFollows ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
