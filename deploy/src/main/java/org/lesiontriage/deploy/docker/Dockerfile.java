package org.lesiontriage.deploy.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile (comments dropped, continued lines joined), and what the last stage ends up
 * with: its base, user, environment and the files it copies in from the build context.
 */
public record Dockerfile(Path file, List<Instruction> instructions) {

    /** One instruction: its keyword in upper case and the rest of its line. */
    public record Instruction(String keyword, String arguments) {
    }

    /** A COPY from the build context (not from another stage) into the image. */
    public record Copy(List<String> sources, String destination) {
    }

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

    public Dockerfile {
        instructions = List.copyOf(instructions);
    }

    public static Dockerfile parse(Path file) {
        try {
            return new Dockerfile(file, instructions(Files.readAllLines(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static List<Instruction> instructions(List<String> lines) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
            }
        }
        return instructions;
    }

    /** Every FROM's image reference (without "AS name"). */
    public List<String> baseImages() {
        return arguments("FROM").stream().map(a -> a.split("\\s+")[0]).toList();
    }

    /** The instructions of the last stage, the image that is built. */
    public List<Instruction> finalStage() {
        int start = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                start = i;
            }
        }
        return instructions.subList(start, instructions.size());
    }

    /** The user the image runs as (USER of the last stage), or "root" when it sets none. */
    public String user() {
        String user = "root";
        for (Instruction instruction : finalStage()) {
            if (instruction.keyword().equals("USER")) {
                user = instruction.arguments().strip();
            }
        }
        return user;
    }

    public String workdir() {
        String workdir = "/";
        for (Instruction instruction : finalStage()) {
            if (instruction.keyword().equals("WORKDIR")) {
                String dir = instruction.arguments().strip();
                workdir = dir.startsWith("/") ? dir : join(workdir, dir);
            }
        }
        return workdir;
    }

    /** The environment the last stage sets (ENV), in order. */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Instruction instruction : finalStage()) {
            if (instruction.keyword().equals("ENV")) {
                Matcher pair = ENV_PAIR.matcher(instruction.arguments());
                while (pair.find()) {
                    String value = pair.group(2);
                    if (value.startsWith("\"")) {
                        value = value.substring(1, value.length() - 1).replace("\\\"", "\"");
                    }
                    environment.put(pair.group(1), value);
                }
            }
        }
        return environment;
    }

    /** COPYs of the last stage from the build context, destinations made absolute. */
    public List<Copy> copies() {
        List<Copy> copies = new ArrayList<>();
        String workdir = "/";
        for (Instruction instruction : finalStage()) {
            if (instruction.keyword().equals("WORKDIR")) {
                String dir = instruction.arguments().strip();
                workdir = dir.startsWith("/") ? dir : join(workdir, dir);
            }
            if (instruction.keyword().equals("COPY") && !instruction.arguments().contains("--from=")) {
                List<String> words = new ArrayList<>(List.of(instruction.arguments().strip().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                String destination = words.remove(words.size() - 1);
                copies.add(new Copy(words, destination.startsWith("/") ? destination : join(workdir, destination)));
            }
        }
        return copies;
    }

    public List<String> arguments(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** Where a file of the build context lands in the image, if a COPY of the last stage takes it. */
    public Optional<String> imagePathOf(String contextPath) {
        for (Copy copy : copies()) {
            for (String source : copy.sources()) {
                String prefix = source.endsWith("/") ? source : source + "/";
                if (contextPath.startsWith(prefix)) {
                    return Optional.of(join(copy.destination(), contextPath.substring(prefix.length())));
                }
                if (contextPath.equals(source)) {
                    return Optional.of(copy.destination().endsWith("/")
                            ? join(copy.destination(), Path.of(source).getFileName().toString()) : copy.destination());
                }
            }
        }
        return Optional.empty();
    }

    /** The file of the build context that lands at {@code imagePath}, if a directory COPY brings it. */
    public Optional<String> contextPathOf(String imagePath) {
        for (Copy copy : copies()) {
            String destination = copy.destination().endsWith("/") ? copy.destination() : copy.destination() + "/";
            for (String source : copy.sources()) {
                if (source.endsWith("/") && (imagePath + "/").startsWith(destination)) {
                    String rest = imagePath.length() > destination.length() ? imagePath.substring(destination.length()) : "";
                    return Optional.of(source + rest);
                }
                if (!source.contains("*") && imagePath.equals(copy.destination())) {
                    return Optional.of(source);
                }
            }
        }
        return Optional.empty();
    }

    private static String join(String dir, String rest) {
        return (dir.endsWith("/") ? dir : dir + "/") + rest;
    }
}
