package org.lesiontriage.dashboard.api;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;

/** Who is logged in (the page shows the views of their roles), and logging out. */
@Path("/api")
@Authenticated
public class SessionResource {

    /** The logged-in user and their roles. */
    public record Session(String user, Set<String> roles) {
    }

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/session")
    @Produces(MediaType.APPLICATION_JSON)
    public Session session() {
        return new Session(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()));
    }

    /** Drops the session cookie and goes back to the login page. */
    @POST
    @Path("/logout")
    public Response logout() {
        FormAuthenticationMechanism.logout(identity);
        return Response.seeOther(URI.create("/login.html?logged-out")).build();
    }
}
