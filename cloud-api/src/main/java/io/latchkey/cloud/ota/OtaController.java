package io.latchkey.cloud.ota;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Over-the-air updates for operators (docs/ota.md §8): update keys, releases, rollouts. */
@Controller("/t/{tenant}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
public class OtaController {
    private final UpdateKeys keys;
    private final Releases releases;
    private final Rollouts rollouts;
    private final OtaConfig config;

    @Serdeable
    public record UpdateKeyRequest(@Nullable String kid, @Nullable String publicKey) {
    }

    @Serdeable
    public record ReleaseView(String id, String version, @Nullable String minVersion, long size, String sha256, String signerKeyId,
                              Instant createdAt) {
        static ReleaseView of(Release r) {
            return new ReleaseView(r.id(), r.version(), r.minVersion(), r.size(), r.sha256(), r.signerKeyId(), r.createdAt());
        }
    }

    /** Exactly one of the four. */
    @Serdeable
    public record TargetBody(@Nullable Boolean all, @Nullable String tag, @Nullable List<String> cars, @Nullable Integer percent) {
    }

    @Serdeable
    public record RolloutRequest(@Nullable String releaseId, @Nullable TargetBody target, @Nullable List<Integer> waves,
                                 @Nullable Integer failureThreshold, @Nullable String deviceTimeout) {
    }

    /** A wave: {@code percent} is its cumulative share of the target; {@code state} PENDING, RUNNING, PAUSED, DONE, HALTED, CANCELLED or SKIPPED. */
    @Serdeable
    public record WaveView(int index, int percent, int cars, String state, Map<String, Integer> counts) {
    }

    @Serdeable
    public record RolloutView(String id, String releaseId, String version, String state, @Nullable String haltReason, Instant createdAt,
                              String createdBy, TargetBody target, int failureThreshold, String deviceTimeout, int currentWave,
                              List<WaveView> waves, Map<String, Integer> counts) {
    }

    @Serdeable
    public record DeviceView(String carId, String deviceId, int wave, String state, @Nullable String reason, @Nullable String version,
                             Instant at) {
    }

    public OtaController(UpdateKeys keys, Releases releases, Rollouts rollouts, OtaConfig config) {
        this.keys = keys;
        this.releases = releases;
        this.rollouts = rollouts;
        this.config = config;
    }

    // ---------------------------------------------------------------- update keys

    @Operation(summary = "Register an update key (the public half of a key that signs release manifests); the tenant's key set lists it from now on")
    @ApiResponse(responseCode = "201", description = "registered", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/update-keys", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, kid not an id, publicKey not a base64 X.509 Ed25519 key",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "an update key with this kid exists",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/update-keys")
    public HttpResponse<UpdateKey> addKey(@PathVariable String tenant, @Body UpdateKeyRequest body, Authentication caller) {
        UpdateKey key = keys.add(tenant, body.kid(), body.publicKey(), caller.getName());
        return HttpResponse.created(key, URI.create("/t/" + tenant + "/update-keys"));
    }

    @Operation(summary = "The tenant's update keys")
    @ApiResponse(responseCode = "200", description = "the keys", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/update-keys")
    public List<UpdateKey> listKeys(@PathVariable String tenant) {
        return keys.list(tenant);
    }

    // ---------------------------------------------------------------- releases

    @Operation(summary = "Upload a signed bundle (the zip of docs/ota.md §1); it is checked as a device checks it")
    @ApiResponse(responseCode = "201", description = "kept", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/releases/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "not a bundle, or refused with the device's reason: UNSIGNED, UNKNOWN_KEY (not a registered update key), "
            + "BAD_SIGNATURE, MALFORMED, WRONG_TENANT, TAMPERED",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "larger than latchkey.ota.max-bundle-size",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(value = "/releases", consumes = {"application/zip", "application/octet-stream"})
    public HttpResponse<ReleaseView> upload(@PathVariable String tenant, @Body InputStream body, Authentication caller) {
        byte[] bundle;
        try (InputStream in = body) {
            bundle = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, config.maxBundleSize() + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bundle.length > config.maxBundleSize()) {
            throw new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "a bundle may be at most " + config.maxBundleSize() + " bytes");
        }
        if (bundle.length == 0) {
            throw new InvalidRequestException("the body must be the bundle (a zip)");
        }
        Release release = releases.upload(tenant, bundle, caller.getName());
        return HttpResponse.created(ReleaseView.of(release), URI.create("/t/" + tenant + "/releases/" + release.id()));
    }

    @Operation(summary = "The tenant's releases, newest first")
    @ApiResponse(responseCode = "200", description = "the releases", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/releases")
    public List<ReleaseView> listReleases(@PathVariable String tenant) {
        return releases.list(tenant).stream().map(ReleaseView::of).toList();
    }

    @Operation(summary = "One release")
    @ApiResponse(responseCode = "200", description = "the release", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown release",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/releases/{releaseId}")
    public ReleaseView release(@PathVariable String tenant, @PathVariable String releaseId) {
        return ReleaseView.of(releases.require(tenant, releaseId));
    }

    // ---------------------------------------------------------------- rollouts

    @Operation(summary = "Start a rollout of a release to a target in waves; the first wave is offered at once")
    @ApiResponse(responseCode = "201", description = "started", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/rollouts/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, unknown release, a target naming not exactly one of all/tag/cars/percent, "
            + "an unknown car or one without a device, a target with no car, waves not ascending to 100, failureThreshold not 0-100, "
            + "deviceTimeout not a duration from 1s to 30d",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/rollouts")
    public HttpResponse<RolloutView> create(@PathVariable String tenant, @Body RolloutRequest body, Authentication caller) {
        TargetBody t = body.target();
        Rollouts.Request request = new Rollouts.Request(body.releaseId(),
                t == null ? null : new Rollout.Target(t.all(), t.tag(), t.cars(), t.percent()), body.waves(), body.failureThreshold(),
                body.deviceTimeout());
        Rollout rollout = rollouts.create(tenant, request, caller.getName());
        return HttpResponse.created(view(tenant, rollout), URI.create("/t/" + tenant + "/rollouts/" + rollout.id()));
    }

    @Operation(summary = "The tenant's rollouts, newest first, with their waves' counts")
    @ApiResponse(responseCode = "200", description = "the rollouts", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/rollouts")
    public List<RolloutView> list(@PathVariable String tenant) {
        return rollouts.list(tenant).stream().map(r -> view(tenant, r)).toList();
    }

    @Operation(summary = "One rollout with its waves' counts")
    @ApiResponse(responseCode = "200", description = "the rollout", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown rollout",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/rollouts/{rolloutId}")
    public RolloutView get(@PathVariable String tenant, @PathVariable String rolloutId) {
        return view(tenant, rollouts.get(tenant, rolloutId));
    }

    @Operation(summary = "Every car of the rollout: its wave, state (PENDING, OFFERED, DEFERRED, DOWNLOADING ... ROLLED_BACK, TIMED_OUT) and reason")
    @ApiResponse(responseCode = "200", description = "the cars, by wave", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown rollout",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/rollouts/{rolloutId}/devices")
    public List<DeviceView> devices(@PathVariable String tenant, @PathVariable String rolloutId) {
        return rollouts.devices(tenant, rolloutId).stream()
                .map(d -> new DeviceView(d.carId(), d.deviceId(), d.wave(), d.state(), d.reason(), d.version(), d.at())).toList();
    }

    @Operation(summary = "Pause a running rollout: nothing more is offered and no wave ends until it resumes")
    @ApiResponse(responseCode = "200", description = "paused", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown rollout",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the rollout is not RUNNING",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/rollouts/{rolloutId}/pause")
    public RolloutView pause(@PathVariable String tenant, @PathVariable String rolloutId, Authentication caller) {
        return view(tenant, rollouts.pause(tenant, rolloutId, caller.getName()));
    }

    @Operation(summary = "Resume a paused rollout")
    @ApiResponse(responseCode = "200", description = "running again", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown rollout",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the rollout is not PAUSED",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/rollouts/{rolloutId}/resume")
    public RolloutView resume(@PathVariable String tenant, @PathVariable String rolloutId, Authentication caller) {
        return view(tenant, rollouts.resume(tenant, rolloutId, caller.getName()));
    }

    @Operation(summary = "Cancel a rollout: nothing more is offered; a car already installing finishes on its own and its statuses are still recorded")
    @ApiResponse(responseCode = "200", description = "cancelled", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown rollout",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the rollout is COMPLETED or CANCELLED already",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/rollouts/{rolloutId}/cancel")
    public RolloutView cancel(@PathVariable String tenant, @PathVariable String rolloutId, Authentication caller) {
        return view(tenant, rollouts.cancel(tenant, rolloutId, caller.getName()));
    }

    private RolloutView view(String tenant, Rollout r) {
        List<RolloutDevice> devices = rollouts.devices(tenant, r.id());
        List<WaveView> waves = new ArrayList<>();
        for (int w = 0; w < r.waves().size(); w++) {
            int index = w;
            List<RolloutDevice> in = devices.stream().filter(d -> d.wave() == index).toList();
            waves.add(new WaveView(w, r.waves().get(w), in.size(), waveState(r, w), counts(in)));
        }
        Rollout.Target t = r.target();
        return new RolloutView(r.id(), r.releaseId(), r.version(), r.state().name(), r.haltReason(), r.createdAt(), r.createdBy(),
                t == null ? null : new TargetBody(t.all(), t.tag(), t.cars(), t.percent()), r.failureThreshold(),
                r.deviceTimeout().toString(), r.currentWave(), waves, counts(devices));
    }

    private static String waveState(Rollout r, int w) {
        if (w < r.currentWave()) {
            return "DONE";
        }
        if (w > r.currentWave()) {
            return r.state() == Rollout.State.HALTED || r.state() == Rollout.State.CANCELLED ? "SKIPPED" : "PENDING";
        }
        return r.state() == Rollout.State.COMPLETED ? "DONE" : r.state().name();
    }

    private static Map<String, Integer> counts(List<RolloutDevice> devices) {
        Map<String, Integer> counts = new TreeMap<>();
        devices.forEach(d -> counts.merge(d.state(), 1, Integer::sum));
        return counts;
    }
}
