package org.lesiontriage.dashboard.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.lesiontriage.security.UsersFileException;
import org.lesiontriage.security.UsersFiles;
import org.lesiontriage.security.UsersFilesIdentityProvider;

/**
 * The identity behind a valid session cookie (form login's later requests): the user's current roles, from the roles
 * file as it is now, so a changed Secret applies at once, and a user removed from the users file is logged out.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final UsersFiles files;

    @Inject
    public SessionIdentityProvider(UsersFiles files) {
        this.files = files;
    }

    @Override
    public Class<TrustedAuthenticationRequest> getRequestType() {
        return TrustedAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            try {
                var roles = files.roles(request.getPrincipal()).orElseThrow(AuthenticationFailedException::new);
                return UsersFilesIdentityProvider.identity(request.getPrincipal(), roles);
            } catch (UsersFileException e) {
                throw new AuthenticationFailedException(e); // files broken since the start: refused, as a login is
            }
        });
    }
}
