package org.lesiontriage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one users-files behaviour of the triage service's API and the dashboard's logins. The first cases come from the
 * two test suites the services had when each read the files itself (the service's {@code ApiUsersTest}, the
 * dashboard's {@code UsersFilesTest}); where the two behaved differently, a comment says which side changed.
 */
@Tag("unit")
class UsersFilesTest {

    /** printf '%s' 'operator:lesion-triage:battery-staple-42' | md5sum  (docs/operations.md) */
    private static final String OPERATOR_DIGEST = "40b256a14b805f2208d0d0cc4a4f73e4";
    /** printf '%s' 'viewer:lesion-triage:viewer-only-7' | md5sum */
    private static final String VIEWER_DIGEST = "9808812249535e90b5190c9e25c1a859";

    @TempDir
    Path dir;

    // ---- from the service's ApiUsersTest ------------------------------------------------------------------------

    @Test
    void checksPasswordsAgainstTheDigestsThatMd5sumMakes() throws Exception {
        UsersFiles users = UsersFiles.of(write("users.properties", "# API users\noperator = 40B256A14B805F2208D0D0CC4A4F73E4\nviewer=" + VIEWER_DIGEST + "\n"),
                write("roles.properties", "operator=rescore, admin\n"));
        assertThat(users.authenticate("operator", "battery-staple-42".toCharArray())).contains(Set.of("rescore", "admin"));
        assertThat(users.authenticate("operator", "battery-staple-43".toCharArray())).isEmpty();
        assertThat(users.authenticate("nobody", "battery-staple-42".toCharArray())).isEmpty();
        // Authenticated, no role: the endpoints answer 403, not 401.
        assertThat(users.authenticate("viewer", "viewer-only-7".toCharArray())).contains(Set.of());
        assertThat(users.size()).isEqualTo(2);
        assertThat(UsersFiles.none().authenticate("operator", "battery-staple-42".toCharArray())).isEmpty();
    }

    @Test
    void refusesPlainTextPasswordsAndMissingFiles() throws Exception {
        Path roles = write("roles.properties", "operator=rescore\n");
        assertThatThrownBy(() -> UsersFiles.of(write("users.properties", "operator=battery-staple-42\n"), roles))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HEX(MD5(user:lesion-triage:password))")
                .hasMessageContaining("line 1").hasMessageNotContaining("battery-staple-42");
        assertThatThrownBy(() -> UsersFiles.of(dir.resolve("absent.properties"), roles))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent.properties");
    }

    // ---- from the dashboard's UsersFilesTest --------------------------------------------------------------------
    // The dashboard's realm name was a setting (dashboard.auth.realm-name) and these cases used "Quarkus"; it is the
    // one constant UsersFiles.REALM now, so they use that (the dashboard side changed).

    @Test
    void acceptsTheRightPasswordWithTheUsersRoles() throws Exception {
        UsersFiles files = files("nurse", "s3cret", "clinician, operator");

        assertThat(files.authenticate("nurse", "s3cret".toCharArray())).contains(Set.of("clinician", "operator"));
        assertThat(files.roles("nurse")).contains(Set.of("clinician", "operator"));
    }

    @Test
    void refusesAWrongPasswordAnUnknownUserAndEveryoneWithoutAUsersFile() throws Exception {
        UsersFiles files = files("nurse", "s3cret", "clinician");

        assertThat(files.authenticate("nurse", "S3cret".toCharArray())).isEmpty();
        assertThat(files.authenticate("intruder", "s3cret".toCharArray())).isEmpty();
        assertThat(files.roles("intruder")).isEmpty();
        UsersFiles none = UsersFiles.fromSettings(Optional.empty(), Optional.empty(), "DASHBOARD_USERS_FILE", "DASHBOARD_ROLES_FILE");
        assertThat(none.configured()).isFalse();
        assertThat(none.authenticate("nurse", "s3cret".toCharArray())).isEmpty();
        assertThat(none.roles("nurse")).isEmpty();
    }

    @Test
    void digestsAsQuarkusPropertiesRealmDoes() {
        // printf '%s' 'alice:Quarkus:alice' | md5sum: Quarkus' own realm name, to show the format is the realm's
        assertThat(UsersFiles.digest("alice", "Quarkus", "alice".toCharArray()))
                .isEqualTo("eb5f5ac94d90e0eeeb0c75f11cd1938f");
        // what an operator runs to fill the Secret: printf '%s' 'operator:lesion-triage:battery-staple-42' | md5sum
        assertThat(UsersFiles.digest("operator", "battery-staple-42".toCharArray())).isEqualTo(OPERATOR_DIGEST);
        assertThat(UsersFiles.REALM).isEqualTo("lesion-triage");
    }

    // ---- the one behaviour where the two differed ----------------------------------------------------------------

    @Test
    void aChangedFileAppliesAtTheNextLogin() throws Exception {
        // The service read its files once at start (a change needed a restart); the dashboard at every login. Both
        // now read them again when they changed: the service's side changed.
        Path users = write("users.properties", "operator=" + OPERATOR_DIGEST + "\nviewer=" + VIEWER_DIGEST + "\n");
        Path roles = write("roles.properties", "operator=rescore\nviewer=clinician\n");
        UsersFiles files = UsersFiles.of(users, roles);
        assertThat(files.authenticate("operator", "battery-staple-42".toCharArray())).contains(Set.of("rescore"));

        rewrite(users, "operator=" + UsersFiles.digest("operator", "new-password-8".toCharArray()) + "\n");
        rewrite(roles, "operator=rescore,admin\n");
        assertThat(files.authenticate("operator", "battery-staple-42".toCharArray())).isEmpty();
        assertThat(files.authenticate("operator", "new-password-8".toCharArray())).contains(Set.of("rescore", "admin"));
        // A user taken out of the users file: no login, and no roles for the sessions they still hold.
        assertThat(files.authenticate("viewer", "viewer-only-7".toCharArray())).isEmpty();
        assertThat(files.roles("viewer")).isEmpty();
        assertThat(files.size()).isEqualTo(1);

        rewrite(roles, "operator=rescore\n"); // only the roles file changed
        assertThat(files.roles("operator")).contains(Set.of("rescore"));
    }

    @Test
    void unchangedFilesAreNotReadAgain() throws Exception {
        UsersFiles files = files("nurse", "s3cret", "clinician");
        for (int i = 0; i < 5; i++) {
            assertThat(files.authenticate("nurse", "s3cret".toCharArray())).isPresent();
            assertThat(files.roles("nurse")).isPresent();
        }
        assertThat(files.reads()).isEqualTo(1);

        rewrite(dir.resolve("users.properties"), "nurse=" + UsersFiles.digest("nurse", "other".toCharArray()) + "\n");
        assertThat(files.authenticate("nurse", "other".toCharArray())).isPresent();
        assertThat(files.authenticate("nurse", "other".toCharArray())).isPresent();
        assertThat(files.reads()).isEqualTo(2);
    }

    @Test
    void aMalformedDigestIsAnErrorThatNamesItsLine() throws Exception {
        // The dashboard took any value as a digest (a plain-text password or a typo was a user who could never log
        // in); the service refused to start. Both refuse now, naming the line: the dashboard's side changed.
        Path roles = write("roles.properties", "nurse=clinician\n");
        String good = "nurse=" + UsersFiles.digest("nurse", "s3cret".toCharArray()) + "\n";
        assertThatThrownBy(() -> UsersFiles.of(write("users.properties", "# logins\n\n" + good + "doctor=0123abc\n"), roles))
                .isInstanceOf(UsersFileException.class)
                .hasMessageContaining("users.properties, line 4: the password of 'doctor' must be stored as HEX(MD5(user:lesion-triage:password))")
                .hasMessageNotContaining("0123abc");
        // 33 digits, a digest with a character that is not hex, a user without a digest, an entry without a user
        for (String bad : new String[] {"doctor=" + VIEWER_DIGEST + "0", "doctor=" + VIEWER_DIGEST.replace('e', 'g'),
                "doctor", "=" + VIEWER_DIGEST}) {
            assertThatThrownBy(() -> UsersFiles.of(write("users.properties", good + bad + "\n"), roles))
                    .as(bad).isInstanceOf(UsersFileException.class).hasMessageContaining("line 2");
        }
        // A password alone on a line is not repeated in the message
        assertThatThrownBy(() -> UsersFiles.of(write("users.properties", good + "battery-staple-42\n"), roles))
                .hasMessageContaining("line 2").hasMessageNotContaining("battery-staple-42");
    }

    @Test
    void filesThatBreakAfterTheStartRefuseEveryLoginUntilTheyAreRight() throws Exception {
        UsersFiles files = files("nurse", "s3cret", "clinician");
        Path users = dir.resolve("users.properties");
        String good = Files.readString(users);

        rewrite(users, good + "doctor=hunter2\n");
        assertThatThrownBy(() -> files.authenticate("nurse", "s3cret".toCharArray()))
                .isInstanceOf(UsersFileException.class).hasMessageContaining("line 2").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> files.roles("nurse")).isInstanceOf(UsersFileException.class);
        assertThat(files.reads()).as("the same broken file is not read again").isEqualTo(2);

        rewrite(users, good);
        assertThat(files.authenticate("nurse", "s3cret".toCharArray())).contains(Set.of("clinician"));

        Files.delete(dir.resolve("roles.properties"));
        assertThatThrownBy(() -> files.roles("nurse")).isInstanceOf(UsersFileException.class)
                .hasMessageContaining("roles.properties");
    }

    @Test
    void theUsersAndRolesFilesGoTogether() throws Exception {
        // The service required both or neither; the dashboard took a users file alone (its users had no role). Both
        // require both now: the dashboard's side changed.
        Path users = write("users.properties", "nurse=" + UsersFiles.digest("nurse", "s3cret".toCharArray()) + "\n");
        assertThatThrownBy(() -> UsersFiles.fromSettings(Optional.of(users.toString()), Optional.empty(),
                "DASHBOARD_USERS_FILE", "DASHBOARD_ROLES_FILE"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DASHBOARD_USERS_FILE and DASHBOARD_ROLES_FILE go together: set both or neither");
        assertThatThrownBy(() -> UsersFiles.fromSettings(Optional.empty(), Optional.of("roles.properties"),
                "TRIAGE_USERS_FILE", "TRIAGE_ROLES_FILE"))
                .hasMessage("TRIAGE_USERS_FILE and TRIAGE_ROLES_FILE go together: set both or neither");
        // A named file that is missing stops the start (both sides did so).
        assertThatThrownBy(() -> UsersFiles.fromSettings(Optional.of(users.toString()),
                Optional.of(dir.resolve("absent.properties").toString()), "TRIAGE_USERS_FILE", "TRIAGE_ROLES_FILE"))
                .isInstanceOf(UsersFileException.class).hasMessageContaining("roles file").hasMessageContaining("absent.properties");
        // Empty settings are unset (the properties files default the variables to empty).
        assertThat(UsersFiles.fromSettings(Optional.of(""), Optional.of(" "), "U", "R").configured()).isFalse();
    }

    @Test
    void readsThePropertiesFormatAsQuarkusRealmDoes() throws Exception {
        // Separators '=', ':' and blanks, comments with '#' and '!', a value continued on the next line, an escaped
        // character in a user name; line numbers count the lines of the file.
        String nurse = UsersFiles.digest("nurse", "s3cret".toCharArray());
        String dr = UsersFiles.digest("dr:who", "tardis".toCharArray());
        Path users = write("users.properties", "! logins\n  nurse : " + nurse.substring(0, 10) + "\\\n      "
                + nurse.substring(10) + "\ndr\\:who " + dr + "\r\nbad=1\n");
        Path roles = write("roles.properties", "nurse=clinician,,operator ,\ndr\\:who=clinician\n");
        assertThatThrownBy(() -> UsersFiles.of(users, roles)).hasMessageContaining("line 5");

        rewrite(users, Files.readString(users).replace("bad=1\n", ""));
        UsersFiles files = UsersFiles.of(users, roles);
        assertThat(files.authenticate("nurse", "s3cret".toCharArray())).contains(Set.of("clinician", "operator"));
        assertThat(files.authenticate("dr:who", "tardis".toCharArray())).contains(Set.of("clinician"));
    }

    private UsersFiles files(String user, String password, String roles) throws Exception {
        Path users = write("users.properties", user + "=" + UsersFiles.digest(user, password.toCharArray()) + "\n");
        Path rolesFile = write("roles.properties", user + "=" + roles + "\n");
        return UsersFiles.of(users, rolesFile);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /** Rewrites a file and moves its time on, as a coarse file system clock might not. */
    private static void rewrite(Path file, String text) throws Exception {
        Instant next = Files.getLastModifiedTime(file).toInstant().plusSeconds(1);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(next.isAfter(Instant.now()) ? next : Instant.now()));
    }
}
