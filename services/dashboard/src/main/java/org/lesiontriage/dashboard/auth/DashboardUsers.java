package org.lesiontriage.dashboard.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.security.UsersFiles;
import org.lesiontriage.security.UsersFilesIdentityProvider;

/**
 * Form logins checked against the users and roles files named by DASHBOARD_USERS_FILE and DASHBOARD_ROLES_FILE
 * ({@link UsersFiles}, the triage service's API users too), read at start and again when they change. Without them
 * every login is refused; a file named but missing or malformed stops the start.
 */
@Singleton
public class DashboardUsers {

    private static final Logger LOG = Logger.getLogger(DashboardUsers.class);

    @Produces
    @Singleton
    UsersFiles usersFiles(DashboardConfig config) {
        return UsersFiles.fromSettings(config.auth().usersFile(), config.auth().rolesFile(),
                "DASHBOARD_USERS_FILE", "DASHBOARD_ROLES_FILE");
    }

    @Produces
    @Singleton
    UsersFilesIdentityProvider identityProvider(UsersFiles files) {
        return new UsersFilesIdentityProvider(files);
    }

    /** Reads the files at start (a bad file stops it here); none named is allowed, and refuses everyone. */
    void checkAtStart(@Observes StartupEvent event, UsersFiles files) {
        if (!files.configured()) {
            LOG.warn("No users configured (DASHBOARD_USERS_FILE): every login is refused");
        }
    }
}
