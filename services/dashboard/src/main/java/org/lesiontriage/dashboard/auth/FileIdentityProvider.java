package org.lesiontriage.dashboard.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;
import org.lesiontriage.dashboard.config.DashboardConfig;

/** Checks form logins against the users and roles files named by DASHBOARD_USERS_FILE and DASHBOARD_ROLES_FILE. */
@ApplicationScoped
public class FileIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(FileIdentityProvider.class);

    private final UsersFiles files;

    @Inject
    public FileIdentityProvider(DashboardConfig config) {
        this.files = usersFiles(config);
    }

    static UsersFiles usersFiles(DashboardConfig config) {
        return new UsersFiles(config.auth().usersFile().map(Path::of), config.auth().rolesFile().map(Path::of),
                config.auth().realmName());
    }

    /** A users file that is named but missing stops the start; none named is allowed, and refuses everyone. */
    void checkAtStart(@Observes StartupEvent event, DashboardConfig config) {
        if (!files.configured()) {
            LOG.warn("No users configured (DASHBOARD_USERS_FILE): every login is refused");
            return;
        }
        config.auth().usersFile().map(Path::of).filter(p -> !Files.isReadable(p)).ifPresent(p -> {
            throw new IllegalStateException("DASHBOARD_USERS_FILE " + p + " is not a readable file");
        });
        config.auth().rolesFile().map(Path::of).filter(p -> !Files.isReadable(p)).ifPresent(p -> {
            throw new IllegalStateException("DASHBOARD_ROLES_FILE " + p + " is not a readable file");
        });
    }

    static SecurityIdentity identity(String user, java.util.Set<String> roles) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user)).addRoles(roles).build();
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            try {
                var roles = files.authenticate(request.getUsername(), request.getPassword().getPassword())
                        .orElseThrow(AuthenticationFailedException::new);
                return identity(request.getUsername(), roles);
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the users or roles file failed", e);
            }
        });
    }
}
