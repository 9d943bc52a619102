package org.lesiontriage.triage.api;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The users of the HTTP API and their roles, from the two properties files of Quarkus' properties-file realm:
 * {@code users.properties} maps a user to {@code HEX(MD5(user ":" REALM ":" password))}, {@code roles.properties}
 * a user to a comma-separated list of roles. No plain-text passwords: a file holds digests only.
 */
final class ApiUsers {

    /** Part of every password digest: {@code printf '%s' 'USER:lesion-triage:PASSWORD' | md5sum}. */
    static final String REALM = "lesion-triage";

    private final Map<String, byte[]> digests;
    private final Map<String, Set<String>> roles;

    private ApiUsers(Map<String, byte[]> digests, Map<String, Set<String>> roles) {
        this.digests = digests;
        this.roles = roles;
    }

    /** Nobody: every authentication fails. */
    static ApiUsers none() {
        return new ApiUsers(Map.of(), Map.of());
    }

    /**
     * @throws IllegalArgumentException when a file cannot be read or a digest is not 32 hex digits: a deployment that
     *                                  names the files must have them right, so the service does not start otherwise
     */
    static ApiUsers load(Path usersFile, Path rolesFile) {
        Map<String, byte[]> digests = new TreeMap<>();
        read(usersFile).forEach((user, digest) -> {
            if (!digest.matches("[0-9a-fA-F]{32}")) {
                throw new IllegalArgumentException("user '" + user + "' in " + usersFile
                        + ": the password must be stored as HEX(MD5(user:" + REALM + ":password)), 32 hex digits");
            }
            digests.put(user, HexFormat.of().parseHex(digest.toLowerCase()));
        });
        Map<String, Set<String>> roles = new TreeMap<>();
        read(rolesFile).forEach((user, list) -> roles.put(user, Arrays.stream(list.split(","))
                .map(String::trim).filter(role -> !role.isEmpty()).collect(Collectors.toUnmodifiableSet())));
        return new ApiUsers(Map.copyOf(digests), Map.copyOf(roles));
    }

    int size() {
        return digests.size();
    }

    /** The user's roles when the password is right; empty for an unknown user or a wrong password. */
    Optional<Set<String>> authenticate(String user, char[] password) {
        byte[] expected = digests.get(user);
        // An unknown user costs the same digest as a known one.
        byte[] actual = digest(user, password);
        if (expected == null || !MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        return Optional.of(roles.getOrDefault(user, Set.of()));
    }

    static byte[] digest(String user, char[] password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((user + ":" + REALM + ":").getBytes(StandardCharsets.UTF_8));
            md5.update(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
        }
        Map<String, String> entries = new TreeMap<>();
        properties.forEach((key, value) -> entries.put(key.toString().trim(), value.toString().trim()));
        return entries;
    }
}
