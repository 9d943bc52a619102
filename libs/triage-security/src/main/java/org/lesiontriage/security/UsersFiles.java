package org.lesiontriage.security;

import java.io.IOException;
import java.io.StringReader;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The users and roles of a service's password login, from two files in the format of Quarkus' properties-file realm:
 * the users file maps a user to {@code HEX(MD5(user:lesion-triage:password))} (no plain-text passwords: the file
 * holds digests only), the roles file a user to a comma-separated list of roles. The triage service's API users and
 * the dashboard's logins both come from here.
 *
 * <ul>
 *   <li><b>Read when changed.</b> Every login compares each file's modification time, size and file key (inode) with
 *       those of the last read, two {@code stat} calls, and reads the files again only when one differs: a rotated
 *       Kubernetes Secret or an edited file applies at the next login, without a restart.</li>
 *   <li><b>Strict.</b> A digest that is not 32 hex digits, or an entry without a user name, is an error that names
 *       the file and the line (never the value, which may be a password typed in plain text). Named files that are
 *       missing, unreadable or malformed stop the service at start; when that happens later, every login is refused
 *       until the files are right again, with one error in the log per change (the last good files are not used:
 *       they may hold a user who was removed).</li>
 *   <li><b>Both or neither.</b> Without files nobody logs in; one file without the other is a configuration error.</li>
 * </ul>
 *
 * <p>Thread-safe: logins on several threads share one instance.
 */
public final class UsersFiles {

    /**
     * The realm in every password digest, the same for every service: {@code printf '%s'
     * 'USER:lesion-triage:PASSWORD' | md5sum}.
     */
    public static final String REALM = "lesion-triage";

    private static final Logger LOG = Logger.getLogger(UsersFiles.class);

    private static final Pattern DIGEST = Pattern.compile("[0-9a-fA-F]{32}");

    private final Path usersFile;
    private final Path rolesFile;
    private volatile Snapshot snapshot;
    private volatile Failure failure;
    private int reads;

    private UsersFiles(Path usersFile, Path rolesFile) {
        this.usersFile = usersFile;
        this.rolesFile = rolesFile;
    }

    /** Nobody: every login is refused. */
    public static UsersFiles none() {
        return new UsersFiles(null, null);
    }

    /**
     * The two files, read now.
     *
     * @throws UsersFileException when a file cannot be read or holds a malformed entry
     */
    public static UsersFiles of(Path usersFile, Path rolesFile) {
        UsersFiles files = new UsersFiles(Objects.requireNonNull(usersFile), Objects.requireNonNull(rolesFile));
        files.current();
        return files;
    }

    /**
     * The files a service's settings name: none when neither is set.
     *
     * @param usersSetting the name an operator sets the users file with ({@code TRIAGE_USERS_FILE}), for the message
     * @param rolesSetting the same for the roles file
     * @throws IllegalArgumentException when only one of the two is set
     * @throws UsersFileException       when a file cannot be read or holds a malformed entry
     */
    public static UsersFiles fromSettings(Optional<String> usersFile, Optional<String> rolesFile,
                                          String usersSetting, String rolesSetting) {
        Optional<String> users = usersFile.filter(s -> !s.isBlank());
        Optional<String> roles = rolesFile.filter(s -> !s.isBlank());
        if (users.isEmpty() && roles.isEmpty()) {
            return none();
        }
        if (users.isEmpty() || roles.isEmpty()) {
            throw new IllegalArgumentException(usersSetting + " and " + rolesSetting + " go together: set both or neither");
        }
        return of(Path.of(users.get()), Path.of(roles.get()));
    }

    /** Whether files are named: without them every login is refused. */
    public boolean configured() {
        return usersFile != null;
    }

    /** The users in the users file as last read (0 without files). */
    public int size() {
        Snapshot last = snapshot;
        return last == null ? 0 : last.digests().size();
    }

    /**
     * The user's roles (possibly none) when the password is right; empty for an unknown user or a wrong password.
     *
     * @throws UsersFileException when the files changed and can no longer be read, or hold a malformed entry
     */
    public Optional<Set<String>> authenticate(String user, char[] password) {
        byte[] actual = digestBytes(user, REALM, password); // an unknown user costs the same digest as a known one
        if (!configured()) {
            return Optional.empty();
        }
        Snapshot files = current();
        byte[] expected = files.digests().get(user);
        if (expected == null || !MessageDigest.isEqual(expected, actual)) {
            return Optional.empty();
        }
        return Optional.of(files.roles().getOrDefault(user, Set.of()));
    }

    /**
     * The current roles of a user who logged in earlier (a session names them); empty when the user is no longer in
     * the users file, which ends their sessions.
     *
     * @throws UsersFileException when the files changed and can no longer be read, or hold a malformed entry
     */
    public Optional<Set<String>> roles(String user) {
        if (!configured()) {
            return Optional.empty();
        }
        Snapshot files = current();
        if (!files.digests().containsKey(user)) {
            return Optional.empty();
        }
        return Optional.of(files.roles().getOrDefault(user, Set.of()));
    }

    /** {@code HEX(MD5(user:lesion-triage:password))}, the stored form of a password. */
    public static String digest(String user, char[] password) {
        return digest(user, REALM, password);
    }

    /** The realm's digest with another realm name: Quarkus' own properties-file realm uses {@code Quarkus}. */
    static String digest(String user, String realm, char[] password) {
        return HexFormat.of().formatHex(digestBytes(user, realm, password));
    }

    /** How often the files were read: once at start, then once per change. */
    synchronized int reads() {
        return reads;
    }

    private static byte[] digestBytes(String user, String realm, char[] password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((user + ":" + realm + ":").getBytes(StandardCharsets.UTF_8));
            md5.update(StandardCharsets.UTF_8.encode(CharBuffer.wrap(password)));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** The files as they are now: the last read when neither changed since, else read again. */
    private Snapshot current() {
        Stamp users = Stamp.of(usersFile);
        Stamp roles = Stamp.of(rolesFile);
        Snapshot last = snapshot;
        if (last != null && last.readAt(users, roles)) {
            return last;
        }
        Failure failed = failure;
        if (failed != null && failed.readAt(users, roles)) {
            throw failed.error(); // the same broken files: not read again, and the same error (logged once)
        }
        synchronized (this) {
            last = snapshot;
            if (last != null && last.readAt(users, roles)) {
                return last;
            }
            reads++;
            try {
                // Stamped before reading: a change while reading leaves an older stamp, so the next login reads again.
                Snapshot read = new Snapshot(users, roles, digests(usersFile), roles(rolesFile));
                snapshot = read;
                failure = null;
                return read;
            } catch (UsersFileException e) {
                snapshot = null;
                failure = new Failure(users, roles, e);
                if (reads > 1) { // the first read is at start, which this error stops
                    LOG.errorf("Every login is refused until the users files are right: %s", e.getMessage());
                }
                throw e;
            }
        }
    }

    private static Map<String, byte[]> digests(Path file) {
        Map<String, byte[]> digests = new HashMap<>();
        for (Entry entry : entries(file, "users file")) {
            if (!DIGEST.matcher(entry.value()).matches()) {
                // Without a value the "user name" may be a password on a line of its own: not repeated then.
                String whose = entry.value().isEmpty() ? "the password" : "the password of '" + entry.key() + "'";
                throw new UsersFileException("users file " + file + ", line " + entry.line() + ": " + whose
                        + " must be stored as HEX(MD5(user:" + REALM + ":password)), 32 hex digits");
            }
            digests.put(entry.key(), HexFormat.of().parseHex(entry.value().toLowerCase()));
        }
        return Map.copyOf(digests);
    }

    private static Map<String, Set<String>> roles(Path file) {
        Map<String, Set<String>> roles = new HashMap<>();
        for (Entry entry : entries(file, "roles file")) {
            roles.put(entry.key(), Arrays.stream(entry.value().split(","))
                    .map(String::trim).filter(role -> !role.isEmpty()).collect(Collectors.toUnmodifiableSet()));
        }
        return Map.copyOf(roles);
    }

    /**
     * The entries of a properties file with the line each starts on. Each logical line (a line continued with a
     * trailing backslash runs on) is parsed by {@link Properties} itself, so escapes and separators mean what they
     * mean to Quarkus' realm; a user who appears twice keeps the later entry, as there.
     */
    private static List<Entry> entries(Path file, String what) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsersFileException("cannot read the " + what + " " + file + ": " + e, e);
        }
        String[] lines = text.split("\r\n|\r|\n", -1);
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            int first = i + 1;
            String line = lines[i++];
            String content = stripLeadingBlanks(line);
            if (content.isEmpty() || content.charAt(0) == '#' || content.charAt(0) == '!') {
                continue;
            }
            StringBuilder logical = new StringBuilder(line);
            while (continues(lines[i - 1]) && i < lines.length) {
                logical.append('\n').append(lines[i++]);
            }
            Properties one = new Properties();
            try {
                one.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) { // a malformed \\uXXXX escape
                throw new UsersFileException(what + " " + file + ", line " + first + ": not a properties entry ("
                        + e.getMessage() + ")", e);
            }
            for (var property : one.entrySet()) {
                String key = property.getKey().toString().trim();
                if (key.isEmpty()) {
                    throw new UsersFileException(what + " " + file + ", line " + first + ": an entry without a user name");
                }
                entries.add(new Entry(first, key, property.getValue().toString().trim()));
            }
        }
        return entries;
    }

    /** The blanks of the properties format: space, tab and form feed. */
    private static String stripLeadingBlanks(String line) {
        int start = 0;
        while (start < line.length() && " \t\f".indexOf(line.charAt(start)) >= 0) {
            start++;
        }
        return line.substring(start);
    }

    /** An odd number of trailing backslashes continues the line. */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private record Entry(int line, String key, String value) {
    }

    /** What changes when a file is edited or a Secret rotated (a new file behind the same path). */
    private record Stamp(FileTime modified, long size, Object fileKey, String problem) {

        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey(), null);
            } catch (IOException e) {
                return new Stamp(null, -1, null, e.toString()); // missing now: reading it says so
            }
        }
    }

    private record Snapshot(Stamp usersStamp, Stamp rolesStamp, Map<String, byte[]> digests,
                            Map<String, Set<String>> roles) {

        boolean readAt(Stamp users, Stamp roles) {
            return usersStamp.equals(users) && rolesStamp.equals(roles);
        }
    }

    private record Failure(Stamp usersStamp, Stamp rolesStamp, UsersFileException error) {

        boolean readAt(Stamp users, Stamp roles) {
            return usersStamp.equals(users) && rolesStamp.equals(roles);
        }
    }
}
