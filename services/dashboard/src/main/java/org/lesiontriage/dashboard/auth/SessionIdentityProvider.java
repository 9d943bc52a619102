package org.lesiontriage.dashboard.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.lesiontriage.dashboard.config.DashboardConfig;

/**
 * The identity behind a valid session cookie (form login's later requests): the user's current roles, read from the
 * roles file, so a changed Secret applies at once, and a user removed from the users file is logged out.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<TrustedAuthenticationRequest> {

    private final UsersFiles files;

    @Inject
    public SessionIdentityProvider(DashboardConfig config) {
        this.files = FileIdentityProvider.usersFiles(config);
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
                return FileIdentityProvider.identity(request.getPrincipal(), roles);
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the users or roles file failed", e);
            }
        });
    }
}
