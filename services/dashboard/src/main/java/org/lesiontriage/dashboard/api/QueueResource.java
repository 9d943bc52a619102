package org.lesiontriage.dashboard.api;

import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.lesiontriage.dashboard.config.DashboardConfig;
import org.lesiontriage.dashboard.queue.QueueFilter;
import org.lesiontriage.dashboard.queue.QueueView;
import org.lesiontriage.dashboard.queue.WorkingSet;

/** The clinician's queue: a view now, or a stream of views as the queue changes. */
@Path("/api/queue")
@RolesAllowed(Roles.CLINICIAN)
public class QueueResource {

    @Inject
    WorkingSet workingSet;

    @Inject
    DashboardConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public QueueView view(@QueryParam("clinic") String clinic, @QueryParam("priority") String priority,
                          @QueryParam("status") String status) {
        return workingSet.view(filter(clinic, priority, status), System.currentTimeMillis());
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<QueueView> stream(@QueryParam("clinic") String clinic, @QueryParam("priority") String priority,
                                   @QueryParam("status") String status) {
        QueueFilter filter = filter(clinic, priority, status);
        return Streams.onChange(config.pushInterval(), config.streamMaxAge(), workingSet::version,
                () -> workingSet.view(filter, System.currentTimeMillis()));
    }

    private QueueFilter filter(String clinic, String priority, String status) {
        return QueueFilter.parse(clinic, priority, status, config.maxRows());
    }
}
