package org.lesiontriage.triage.api;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.lesiontriage.contracts.ModelRollout;
import org.lesiontriage.contracts.CanaryScope;
import org.lesiontriage.triage.lifecycle.ActivationRefusedException;
import org.lesiontriage.common.rollout.CanaryClinics;
import org.lesiontriage.triage.lifecycle.ModelActivation;
import org.lesiontriage.triage.lifecycle.ModelKey;
import org.lesiontriage.triage.lifecycle.ModelLifecycle;
import org.lesiontriage.triage.lifecycle.PromotionGate;
import org.lesiontriage.triage.pipeline.PipelineAssembly;

/**
 * The model lifecycle over HTTP: GET /models shows releases, instance reports, the rollout history (with canary scopes
 * and gate decisions) and any partition waiting for a model; POST /models/activate, /canary, /shadow, /shadow/stop
 * and /rollback (role {@value #ROLE}) do what {@code bin/models} does, with the same checks.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelLifecycleResource {

    public static final String ROLE = "models";
    private static final Duration WAIT_FOR_READY = Duration.ofSeconds(60);

    @Inject
    Optional<ModelLifecycle> lifecycle;

    @Inject
    PipelineAssembly pipeline;

    public record Release(String name, String version, String sha256, int contractVersion, double threshold,
                          String cardSummary, int goldenImages, String publishedAt, String publishedBy) {
    }

    public record InstanceReport(String instance, String name, String version, String state, String reason,
                                 long memoryBytes, String reportedAt) {
    }

    public record Rollout(String rolloutId, String kind, String name, String version, String previousVersion,
                          Map<Integer, Long> fromOffsets, List<String> readyInstances, String requestedBy,
                          String requestedAt, String reason, Canary canary, Gate gate) {
    }

    /** The clinics a canary serves: named, and a stable hash fraction of the rest. */
    public record Canary(String version, List<String> clinics, double clinicFraction, String description) {
    }

    public record Gate(String evidence, int compared, int liveUrgent, int urgentToRoutine, int labelled,
                       Double sensitivity, boolean passed, boolean forced, String findings) {
    }

    public record Overview(String instance, String live, String shadow, Canary canary, List<Release> releases,
                           List<InstanceReport> instances, List<Rollout> rollouts, Map<Integer, String> waiting) {
    }

    /**
     * @param force    activate although the promotion gate refuses (needs a reason; recorded)
     * @param evidence the candidate's results topic to judge (default: the shadow results)
     * @param since    judge events received from then on (ISO-8601 instant)
     */
    public record ActivateRequest(String name, String version, String reason, Boolean force, String evidence,
                                  String since) {
    }

    public record CanaryRequest(String name, String version, List<String> clinics, Double fraction, String reason) {
    }

    @GET
    @PermitAll
    public Response overview() {
        if (lifecycle.isEmpty()) {
            return RescoreResource.problem(Response.Status.NOT_FOUND, "the model lifecycle is off (triage.lifecycle.enabled)");
        }
        ModelLifecycle models = lifecycle.get();
        var view = models.view();
        ModelKey shadow = view.history().currentShadow();
        ModelRollout canary = view.history().currentCanary();
        return Response.ok(new Overview(models.instance(), view.history().current().toString(),
                shadow == null ? null : shadow.toString(), canary == null ? null : canary(canary),
                view.catalog().all().stream().map(r -> new Release(r.getName(), r.getVersion(), r.getSha256(),
                        r.getContractVersion(), r.getThreshold(), r.getCardSummary(), r.getGolden().size(),
                        r.getPublishedAt().toString(), r.getPublishedBy())).toList(),
                view.statuses().all().stream().map(s -> new InstanceReport(s.getInstance(), s.getName(), s.getVersion(),
                        s.getState().name(), s.getReason(), s.getMemoryBytes(), s.getReportedAt().toString())).toList(),
                view.history().all().stream().map(ModelLifecycleResource::rollout).toList(),
                models.models().waiting())).build();
    }

    @POST
    @RolesAllowed(ROLE)
    @Path("/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response activate(ActivateRequest body, @Context SecurityContext caller) {
        if (body == null || body.name() == null || body.version() == null) {
            return RescoreResource.problem(Response.Status.BAD_REQUEST, "'name' and 'version' are required");
        }
        java.time.Instant since;
        try {
            since = body.since() == null ? null : java.time.Instant.parse(body.since());
        } catch (java.time.format.DateTimeParseException e) {
            return RescoreResource.problem(Response.Status.BAD_REQUEST, "'since' is not an ISO-8601 instant: " + body.since());
        }
        var evidence = new PromotionGate.Evidence(body.evidence() != null ? body.evidence()
                : pipeline.topics().shadowResults(), since, Map.of());
        var promotion = new ModelActivation.Promotion(pipeline.promotionGate(), evidence, Boolean.TRUE.equals(body.force()));
        return write(activation -> activation.activate(new ModelKey(body.name(), body.version()), promotion,
                body.reason(), caller.getUserPrincipal().getName(), WAIT_FOR_READY));
    }

    @POST
    @RolesAllowed(ROLE)
    @Path("/canary")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response canary(CanaryRequest body, @Context SecurityContext caller) {
        if (body == null || body.name() == null || body.version() == null) {
            return RescoreResource.problem(Response.Status.BAD_REQUEST, "'name' and 'version' are required");
        }
        var scope = new CanaryScope(body.clinics() == null ? List.of() : List.copyOf(body.clinics()),
                body.fraction() == null ? 0.0 : body.fraction());
        return write(activation -> activation.canary(new ModelKey(body.name(), body.version()), scope, body.reason(),
                caller.getUserPrincipal().getName(), WAIT_FOR_READY));
    }

    @POST
    @RolesAllowed(ROLE)
    @Path("/shadow")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response shadow(ActivateRequest body, @Context SecurityContext caller) {
        if (body == null || body.name() == null || body.version() == null) {
            return RescoreResource.problem(Response.Status.BAD_REQUEST, "'name' and 'version' are required");
        }
        return write(activation -> activation.shadow(new ModelKey(body.name(), body.version()), body.reason(),
                caller.getUserPrincipal().getName(), WAIT_FOR_READY));
    }

    @POST
    @RolesAllowed(ROLE)
    @Path("/shadow/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response stopShadow(ActivateRequest body, @Context SecurityContext caller) {
        return write(activation -> activation.shadowOff(body == null ? null : body.reason(),
                caller.getUserPrincipal().getName()));
    }

    @POST
    @RolesAllowed(ROLE)
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response rollback(ActivateRequest body, @Context SecurityContext caller) {
        return write(activation -> activation.rollback(body == null ? null : body.reason(),
                caller.getUserPrincipal().getName(), WAIT_FOR_READY));
    }

    private interface Step {
        ModelRollout run(ModelActivation activation) throws Exception;
    }

    private Response write(Step step) {
        if (lifecycle.isEmpty()) {
            return RescoreResource.problem(Response.Status.NOT_FOUND, "the model lifecycle is off (triage.lifecycle.enabled)");
        }
        try (Admin admin = Admin.create(pipeline.kafkaClientConfig())) {
            var activation = new ModelActivation(lifecycle.get().view(), admin, pipeline.settings().applicationId(),
                    pipeline.kafkaClientConfig(), pipeline.serdeConfig());
            return Response.ok(rollout(step.run(activation))).build();
        } catch (ActivationRefusedException refused) {
            return RescoreResource.problem(Response.Status.CONFLICT, refused.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RescoreResource.problem(Response.Status.SERVICE_UNAVAILABLE, "interrupted");
        } catch (Exception e) {
            return RescoreResource.problem(Response.Status.INTERNAL_SERVER_ERROR, e.getMessage());
        }
    }

    private static Rollout rollout(ModelRollout r) {
        Map<Integer, Long> from = new java.util.TreeMap<>();
        r.getOffsets().forEach(at -> from.put(at.getPartition(), at.getFromOffset()));
        var g = r.getGate();
        return new Rollout(r.getRolloutId(), r.getKind().name(), r.getName(), r.getVersion(), r.getPreviousVersion(),
                from, r.getReadyInstances(), r.getRequestedBy(), r.getRequestedAt().toString(), r.getReason(),
                r.getCanary() == null ? null : canary(r),
                g == null ? null : new Gate(g.getEvidence(), g.getCompared(), g.getLiveUrgent(), g.getUrgentToRoutine(),
                        g.getLabelled(), g.getSensitivity(), g.getPassed(), g.getForced(), g.getFindings()));
    }

    private static Canary canary(ModelRollout r) {
        return new Canary(r.getVersion(), List.copyOf(r.getCanary().getClinics()), r.getCanary().getClinicFraction(),
                CanaryClinics.describe(r.getCanary()));
    }
}
