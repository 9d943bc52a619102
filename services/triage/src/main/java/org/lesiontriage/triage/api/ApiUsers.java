package org.lesiontriage.triage.api;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.lesiontriage.security.UsersFiles;
import org.lesiontriage.security.UsersFilesIdentityProvider;

/**
 * The users of the HTTP API: HTTP basic credentials checked against the files named by {@code TRIAGE_USERS_FILE} and
 * {@code TRIAGE_ROLES_FILE} ({@link UsersFiles}, the dashboard's logins too), read at start and again when they
 * change. Secure by default: without the variables the service starts with no user, and every call that needs a role
 * is refused; a file named but missing or malformed stops the start.
 */
@Singleton
public class ApiUsers {

    private static final Logger LOG = Logger.getLogger(ApiUsers.class);

    @Produces
    @Singleton
    UsersFiles usersFiles(@ConfigProperty(name = "triage-api.users-file") Optional<String> usersFile,
                          @ConfigProperty(name = "triage-api.roles-file") Optional<String> rolesFile) {
        return UsersFiles.fromSettings(usersFile, rolesFile, "TRIAGE_USERS_FILE", "TRIAGE_ROLES_FILE");
    }

    @Produces
    @Singleton
    UsersFilesIdentityProvider identityProvider(UsersFiles users) {
        return new UsersFilesIdentityProvider(users);
    }

    /** Reads the files at start (a bad file stops it here) and says who may do what. */
    void report(@Observes StartupEvent started, UsersFiles users) {
        if (!users.configured()) {
            LOG.info("No API users (TRIAGE_USERS_FILE unset): starting and cancelling re-score jobs is refused");
        } else {
            LOG.infof("%d API user(s) loaded; role %s may start and cancel re-score jobs", users.size(), RescoreResource.ROLE);
        }
    }
}
