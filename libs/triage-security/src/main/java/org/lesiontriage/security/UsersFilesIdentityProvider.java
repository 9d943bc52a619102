package org.lesiontriage.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import java.util.Set;

/**
 * Checks a user name and password (HTTP basic in the triage service, the login form in the dashboard) against
 * {@link UsersFiles}. Quarkus' own properties-file realm fixes its files' paths when the application is built; these
 * are named when the service starts, from wherever the deployment mounts them (a Kubernetes Secret).
 *
 * <p>Not a bean by itself: each service produces one from its own settings. Files that became unreadable or malformed
 * after the start refuse every login (the log says why, once per change of the files).
 */
public class UsersFilesIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final UsersFiles files;

    public UsersFilesIdentityProvider(UsersFiles files) {
        this.files = files;
    }

    /** A user with their roles, as both services' identities are built. */
    public static SecurityIdentity identity(String user, Set<String> roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user)).addRoles(roles).build();
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        // Blocking: a login may read the files (and always looks at their attributes).
        return context.runBlocking(() -> check(request.getUsername(), request.getPassword().getPassword()));
    }

    /**
     * The identity for a right password.
     *
     * @throws AuthenticationFailedException for an unknown user, a wrong password, or files that cannot be used
     */
    SecurityIdentity check(String user, char[] password) {
        try {
            return identity(user, files.authenticate(user, password).orElseThrow(AuthenticationFailedException::new));
        } catch (UsersFileException e) {
            throw new AuthenticationFailedException(e);
        }
    }
}
