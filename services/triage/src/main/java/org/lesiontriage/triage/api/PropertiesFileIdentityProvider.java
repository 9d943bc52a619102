package org.lesiontriage.triage.api;

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
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks HTTP basic credentials against the files named by {@code TRIAGE_USERS_FILE} and {@code TRIAGE_ROLES_FILE}.
 *
 * <p>Quarkus' own properties-file realm fixes the files' paths when the application is built; these are read when
 * the service starts, from wherever the deployment mounts them (a Kubernetes Secret). Secure by default: without the
 * variables the service starts with no user, and every call that needs a role is refused.
 */
@ApplicationScoped
public class PropertiesFileIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(PropertiesFileIdentityProvider.class);

    private final ApiUsers users;

    PropertiesFileIdentityProvider(@ConfigProperty(name = "triage-api.users-file") Optional<String> usersFile,
                                   @ConfigProperty(name = "triage-api.roles-file") Optional<String> rolesFile) {
        if (usersFile.isEmpty() && rolesFile.isEmpty()) {
            users = ApiUsers.none();
        } else if (usersFile.isEmpty() || rolesFile.isEmpty()) {
            throw new IllegalArgumentException("TRIAGE_USERS_FILE and TRIAGE_ROLES_FILE go together: set both or neither");
        } else {
            users = ApiUsers.load(Path.of(usersFile.get()), Path.of(rolesFile.get()));
        }
    }

    void report(@Observes StartupEvent started) {
        if (users.size() == 0) {
            LOG.info("No API users (TRIAGE_USERS_FILE unset): starting and cancelling re-score jobs is refused");
        } else {
            LOG.infof("%d API user(s) loaded; role %s may start and cancel re-score jobs", users.size(), RescoreResource.ROLE);
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        String user = request.getUsername();
        Optional<Set<String>> roles = users.authenticate(user, request.getPassword().getPassword());
        if (roles.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addRoles(roles.get())
                .build());
    }
}
