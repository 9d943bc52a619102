package org.lesiontriage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity provider both services produce: what Quarkus gets for a login (their Quarkus tests run it for real). */
@Tag("unit")
class UsersFilesIdentityProviderTest {

    /** Runs the blocking part at once, as Quarkus does on a worker thread. */
    private static final AuthenticationRequestContext CONTEXT = new AuthenticationRequestContext() {
        @Override
        public Uni<SecurityIdentity> runBlocking(Supplier<SecurityIdentity> function) {
            return Uni.createFrom().item(function);
        }
    };

    @TempDir
    Path dir;

    @Test
    void aRightPasswordIsTheUserWithTheirRolesAndAnythingElseAFailedLogin() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"),
                "operator=40b256a14b805f2208d0d0cc4a4f73e4\nviewer=9808812249535e90b5190c9e25c1a859\n");
        Path roles = Files.writeString(dir.resolve("roles.properties"), "operator=rescore\n");
        var provider = new UsersFilesIdentityProvider(UsersFiles.of(users, roles));
        assertThat(provider.getRequestType()).isEqualTo(UsernamePasswordAuthenticationRequest.class);

        SecurityIdentity operator = login(provider, "operator", "battery-staple-42");
        assertThat(operator.getPrincipal().getName()).isEqualTo("operator");
        assertThat(operator.getRoles()).containsExactly("rescore");
        assertThat(operator.isAnonymous()).isFalse();
        assertThat(login(provider, "viewer", "viewer-only-7").getRoles()).isEmpty();
        assertThatThrownBy(() -> login(provider, "operator", "wrong")).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> login(provider, "nobody", "battery-staple-42")).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> login(new UsersFilesIdentityProvider(UsersFiles.none()), "operator", "battery-staple-42"))
                .isInstanceOf(AuthenticationFailedException.class);

        // Files broken after the start: a failed login (401, the login page's error), not a server error.
        Files.writeString(users, "operator=battery-staple-42\n");
        Files.setLastModifiedTime(users, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThatThrownBy(() -> login(provider, "operator", "battery-staple-42"))
                .isInstanceOf(AuthenticationFailedException.class).hasCauseInstanceOf(UsersFileException.class);
    }

    private static SecurityIdentity login(UsersFilesIdentityProvider provider, String user, String password) {
        var request = new UsernamePasswordAuthenticationRequest(user, new PasswordCredential(password.toCharArray()));
        return provider.authenticate(request, CONTEXT).await().indefinitely();
    }
}
