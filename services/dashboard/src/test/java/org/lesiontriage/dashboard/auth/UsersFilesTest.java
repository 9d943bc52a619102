package org.lesiontriage.dashboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class UsersFilesTest {

    @TempDir
    Path dir;

    @Test
    void acceptsTheRightPasswordWithTheUsersRoles() throws Exception {
        UsersFiles files = files("nurse", "s3cret", "clinician, operator");

        assertThat(files.authenticate("nurse", "s3cret".toCharArray())).contains(java.util.Set.of("clinician", "operator"));
        assertThat(files.roles("nurse")).contains(java.util.Set.of("clinician", "operator"));
    }

    @Test
    void refusesAWrongPasswordAnUnknownUserAndEveryoneWithoutAUsersFile() throws Exception {
        UsersFiles files = files("nurse", "s3cret", "clinician");

        assertThat(files.authenticate("nurse", "S3cret".toCharArray())).isEmpty();
        assertThat(files.authenticate("intruder", "s3cret".toCharArray())).isEmpty();
        assertThat(files.roles("intruder")).isEmpty();
        UsersFiles none = new UsersFiles(Optional.empty(), Optional.empty(), "Quarkus");
        assertThat(none.configured()).isFalse();
        assertThat(none.authenticate("nurse", "s3cret".toCharArray())).isEmpty();
    }

    @Test
    void digestsAsQuarkusPropertiesRealmDoes() {
        // printf '%s' 'alice:Quarkus:alice' | md5sum: what an operator runs to fill the Secret
        assertThat(UsersFiles.digest("alice", "Quarkus", "alice".toCharArray()))
                .isEqualTo("eb5f5ac94d90e0eeeb0c75f11cd1938f");
    }

    private UsersFiles files(String user, String password, String roles) throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"),
                user + "=" + UsersFiles.digest(user, "Quarkus", password.toCharArray()) + "\n");
        Path rolesFile = Files.writeString(dir.resolve("roles.properties"), user + "=" + roles + "\n");
        return new UsersFiles(Optional.of(users), Optional.of(rolesFile), "Quarkus");
    }
}
