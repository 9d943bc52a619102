package org.lesiontriage.triage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ApiUsersTest {

    @TempDir
    Path dir;

    @Test
    void checksPasswordsAgainstTheDigestsThatMd5sumMakes() throws Exception {
        // printf '%s' 'operator:lesion-triage:battery-staple-42' | md5sum  (docs/operations.md)
        ApiUsers users = ApiUsers.load(write("users.properties", "# API users\noperator = 40B256A14B805F2208D0D0CC4A4F73E4\nviewer=9808812249535e90b5190c9e25c1a859\n"),
                write("roles.properties", "operator=rescore, admin\n"));
        assertThat(users.authenticate("operator", "battery-staple-42".toCharArray())).contains(Set.of("rescore", "admin"));
        assertThat(users.authenticate("operator", "battery-staple-43".toCharArray())).isEmpty();
        assertThat(users.authenticate("nobody", "battery-staple-42".toCharArray())).isEmpty();
        // Authenticated, no role: the endpoints answer 403, not 401.
        assertThat(users.authenticate("viewer", "viewer-only-7".toCharArray())).contains(Set.of());
        assertThat(ApiUsers.none().authenticate("operator", "battery-staple-42".toCharArray())).isEmpty();
    }

    @Test
    void refusesPlainTextPasswordsAndMissingFiles() throws Exception {
        Path roles = write("roles.properties", "operator=rescore\n");
        assertThatThrownBy(() -> ApiUsers.load(write("users.properties", "operator=battery-staple-42\n"), roles))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HEX(MD5(user:lesion-triage:password))")
                .hasMessageNotContaining("battery-staple-42");
        assertThatThrownBy(() -> ApiUsers.load(dir.resolve("absent.properties"), roles))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absent.properties");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
