package org.lesiontriage.dashboard.auth;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The users and roles files of Quarkus' properties-file realm, read at each login (a rotated Kubernetes Secret
 * takes effect without a restart): {@code user=HEX(MD5(user:realm:password))} and {@code user=role1,role2}.
 * Without a users file nobody logs in.
 */
public final class UsersFiles {

    /** The realm name in the digests, the triage service's too: {@code printf '%s' 'USER:lesion-triage:PASSWORD' | md5sum}. */
    public static final String DEFAULT_REALM = "lesion-triage";

    private final Optional<Path> users;
    private final Optional<Path> roles;
    private final String realm;

    public UsersFiles(Optional<Path> users, Optional<Path> roles, String realm) {
        this.users = users;
        this.roles = roles;
        this.realm = realm;
    }

    public boolean configured() {
        return users.isPresent();
    }

    /** The user's roles when the password is right; empty when the user is unknown or the password wrong. */
    public Optional<Set<String>> authenticate(String user, char[] password) throws IOException {
        if (users.isEmpty()) {
            return Optional.empty();
        }
        String stored = load(users.get()).getProperty(user);
        byte[] given = digest(user, realm, password).getBytes(StandardCharsets.US_ASCII);
        // Compared even for an unknown user, so the answer takes as long either way.
        byte[] expected = (stored == null ? "" : stored.trim().toLowerCase()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, expected) || stored == null) {
            return Optional.empty();
        }
        return Optional.of(rolesFromFile(user));
    }

    /**
     * The roles of a user who logged in earlier (the session cookie names them); empty when the user is no longer
     * in the users file, which ends their sessions.
     */
    public Optional<Set<String>> roles(String user) throws IOException {
        if (users.isEmpty() || load(users.get()).getProperty(user) == null) {
            return Optional.empty();
        }
        return Optional.of(rolesFromFile(user));
    }

    private Set<String> rolesFromFile(String user) throws IOException {
        String granted = roles.isEmpty() ? null : load(roles.get()).getProperty(user);
        return granted == null ? Set.of() : Arrays.stream(granted.split(","))
                .map(String::trim).filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** HEX(MD5(user:realm:password)), the realm's stored form of a password. */
    public static String digest(String user, String realm, char[] password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((user + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
            md5.update(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)));
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }
}
