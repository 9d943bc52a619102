package org.lesiontriage.dashboard.api;

import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.lesiontriage.dashboard.images.Thumbnails;

/** The thumbnail of a result in the working set; the browser must not keep it (no-store). */
@Path("/api/results/{eventId}/thumbnail")
@RolesAllowed(Roles.CLINICIAN)
public class ThumbnailResource {

    @Inject
    Thumbnails thumbnails;

    @GET
    @Blocking
    public Response thumbnail(@PathParam("eventId") String eventId) {
        return thumbnails.of(eventId)
                .map(t -> Response.ok(t.bytes(), t.mediaType()))
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND))
                .header("Cache-Control", "no-store")
                .build();
    }
}
