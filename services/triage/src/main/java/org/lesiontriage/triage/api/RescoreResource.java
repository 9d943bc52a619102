package org.lesiontriage.triage.api;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import org.lesiontriage.triage.config.TriageConfig;
import org.lesiontriage.triage.rescore.RangeBound;
import org.lesiontriage.triage.rescore.RescoreJobs;
import org.lesiontriage.triage.rescore.RescoreRequest;
import org.lesiontriage.triage.rescore.RescoreStatus;

/**
 * Re-score jobs over HTTP: {@code POST /rescore} starts (or resumes) one, {@code GET /rescore/{id}} shows its
 * progress, rate and ETA, {@code DELETE /rescore/{id}} cancels it. docs/rescoring.md shows examples.
 *
 * <p>Starting and cancelling need HTTP basic authentication with role {@value #ROLE} (a job takes CPUs and creates
 * topics); reading the jobs' state does not: it holds job ids, topic names and counts, no image and no result.
 * Endpoints without an annotation are denied ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}).
 */
@Path("/rescore")
@Produces(MediaType.APPLICATION_JSON)
public class RescoreResource {

    /** The role that may start and cancel re-score jobs (docs/operations.md, "Who may do what"). */
    public static final String ROLE = "rescore";

    @Inject
    RescoreJobs jobs;

    @Inject
    TriageConfig config;

    /**
     * @param model folder of the model version, relative to {@code triage.rescore.model-root} (e.g. proposed/1.1.0)
     * @param from  range start (default earliest); to: range end (default latest at the first start)
     */
    public record StartRequest(String jobId, String model, String from, String to, String sourceTopic,
                               String resultsTopic, String failuresTopic, Boolean asLive) {
    }

    @POST
    @RolesAllowed(ROLE)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(StartRequest body) {
        try {
            boolean asLive = body != null && Boolean.TRUE.equals(body.asLive());
            if (body == null || (body.model() == null && !asLive)) {
                throw new IllegalArgumentException("'model' is required (a model folder under "
                        + config.rescore().modelRoot() + "), or 'asLive': true");
            }
            RescoreRequest request = new RescoreRequest(body.jobId(), body.sourceTopic() == null ? config.topics().images() : body.sourceTopic(),
                    RangeBound.parse(body.from() == null ? "earliest" : body.from()),
                    RangeBound.parse(body.to() == null ? "latest" : body.to()),
                    body.model() == null ? java.nio.file.Path.of(config.model().dir()) : modelFolder(body.model()),
                    body.resultsTopic(), body.failuresTopic(), asLive);
            RescoreStatus status = jobs.start(request);
            return Response.accepted(status).location(URI.create("/rescore/" + request.jobId())).build();
        } catch (IllegalArgumentException e) {
            return problem(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (IllegalStateException running) {
            return problem(Response.Status.CONFLICT, running.getMessage());
        }
    }

    @GET
    @PermitAll
    public Collection<RescoreStatus> list() {
        return jobs.all();
    }

    @GET
    @PermitAll
    @Path("/{jobId}")
    public Response status(@PathParam("jobId") String jobId) {
        return jobs.status(jobId).map(s -> Response.ok(s).build())
                .orElseGet(() -> problem(Response.Status.NOT_FOUND, "no job " + jobId));
    }

    @DELETE
    @RolesAllowed(ROLE)
    @Path("/{jobId}")
    public Response cancel(@PathParam("jobId") String jobId) {
        return jobs.cancel(jobId).map(s -> Response.accepted(s).build())
                .orElseGet(() -> problem(Response.Status.NOT_FOUND, "no job " + jobId));
    }

    /** Only folders inside the model root: a request must not make the service open arbitrary files. */
    private java.nio.file.Path modelFolder(String relative) {
        String modelRoot = config.rescore().modelRoot();
        java.nio.file.Path root = java.nio.file.Path.of(modelRoot).toAbsolutePath().normalize();
        java.nio.file.Path folder = root.resolve(relative).normalize();
        if (!folder.startsWith(root) || java.nio.file.Path.of(relative).isAbsolute()) {
            throw new IllegalArgumentException("model '" + relative + "' is not a folder under " + modelRoot);
        }
        return folder;
    }

    static Response problem(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}
