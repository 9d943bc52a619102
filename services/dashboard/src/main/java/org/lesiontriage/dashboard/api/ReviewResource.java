package org.lesiontriage.dashboard.api;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.lesiontriage.contracts.ReviewAction;
import org.lesiontriage.dashboard.queue.ReviewMark;
import org.lesiontriage.dashboard.queue.WorkingSet;
import org.lesiontriage.dashboard.reviews.ReviewPublisher;

/**
 * Marks a case reviewed (or reopens it) from one of its results: the review covers that result and the case's
 * earlier ones. JSON only, so a form on another site cannot post it (with the SameSite session cookie).
 */
@Path("/api/results/{eventId}/review")
@RolesAllowed(Roles.CLINICIAN)
public class ReviewResource {

    /** What the page posts. */
    public record ReviewRequest(ReviewAction action) {
    }

    @Inject
    WorkingSet workingSet;

    @Inject
    ReviewPublisher publisher;

    @Inject
    SecurityIdentity identity;

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public ReviewMark review(@PathParam("eventId") String eventId, ReviewRequest request) {
        var entry = workingSet.entry(eventId).orElseThrow(() -> new NotFoundException("no such result in the queue"));
        ReviewAction action = request == null || request.action() == null ? ReviewAction.REVIEWED : request.action();
        return publisher.publish(entry, action, identity.getPrincipal().getName());
    }
}
